import { api } from '../../lib/api';
import { label, MODES } from '../../lib/labels';
import { Loading, useLoad } from '../../ui/data';
import type { Item } from '../catalog/types';
import { MaterialChecklist } from './material-checklist';
import { OneTimeNotice } from './one-time-notice';
import { Steps } from './steps';
import { TransferPanel } from './transfer-panel';
import type { Completeness, CaseView } from './types';

/** Steps 2 and 3 of a new case: its materials against the item's checklist (一次性告知), then the transfer. */
export function IntakeSteps(p: { caseRef: string }) {
  const ref = p.caseRef;
  const kase = useLoad((signal) => api<CaseView>(`/api/v1/cases/${encodeURIComponent(ref)}`, { signal }), [ref]);
  const code = kase.data?.itemCode;
  const item = useLoad((signal) => (code ? api<Item>(`/api/v1/items/${encodeURIComponent(code)}`, { signal }) : Promise.resolve(null)), [code]);
  const done = useLoad((signal) => api<Completeness>(`/api/v1/cases/${encodeURIComponent(ref)}/completeness`, { signal }), [ref]);
  const refresh = () => { kase.reload(); done.reload(); };
  return (
    <Loading state={kase}>{(c) => {
      if (c.state !== 'intake') {
        return <p>该办件已转办或已结束收件。<a href={`#/cases/${encodeURIComponent(c.ref)}`}>查看办件 {c.caseId}</a></p>;
      }
      return (
        <>
          <Steps at={done.data?.complete ? 3 : 2} />
          <p class="case-head">
            办件 <strong>{c.caseId}</strong> · {item.data?.name ?? c.itemCode} · {label(MODES, c.mode)} · 申请人 {c.applicant.name}（{c.applicantIdMasked}）
          </p>
          <Loading state={item}>{(i) => i ? (
            <>
              <MaterialChecklist caseRef={c.ref} item={i} materials={c.materials} completeness={done.data} onUploaded={refresh} />
              {done.data ? <OneTimeNotice completeness={done.data} /> : <p class="loading">正在核对材料…</p>}
              {done.error ? <div class="banner error" role="alert">{done.error}</div> : null}
              <TransferPanel kase={c} item={i} complete={!!done.data?.complete} onRefused={refresh} />
            </>
          ) : null}</Loading>
        </>
      );
    }}</Loading>
  );
}
