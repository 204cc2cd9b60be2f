import { useEffect } from 'preact/hooks';
import { api } from '../../lib/api';
import { CASE_STATES, label } from '../../lib/labels';
import { useMe } from '../../lib/me';
import type { PageProps } from '../../routes';
import { Loading, useLoad } from '../../ui/data';
import { CaseEvaluations } from '../../ui/case-evaluations';
import { CaseMeetings } from '../../ui/case-meetings';
import { useMembers } from '../catalog/catalog-data';
import type { Item } from '../catalog/types';
import { CaseActions } from './case-actions';
import { CaseEvidence } from './case-evidence';
import { CaseClocks, CaseFacts, CaseReceipt } from './case-facts';
import { CaseShipments } from './case-shipments';
import { CaseSupplements } from './case-supplements';
import { CaseTimeline } from './case-timeline';
import type { CaseView, Shipment, Timeline } from './types';

/** The other member moves the case too: the page looks again every so often while it is open. */
const REFRESH_MS = 10_000;

/** 办件详情: facts, clocks, what the clerk can do now, the timeline of both sides, parcels, receipt, evidence. */
export function CaseDetail(p: PageProps) {
  const ref = p.params.ref ?? '';
  const path = `/api/v1/cases/${encodeURIComponent(ref)}`;
  const me = useMe();
  const members = useMembers();
  const kase = useLoad((signal) => api<CaseView>(path, { signal }), [ref]);
  const timeline = useLoad((signal) => api<Timeline>(`${path}/timeline`, { signal }), [ref]);
  const shipments = useLoad((signal) => api<{ shipments: Shipment[] }>(`${path}/shipments`, { signal }), [ref]);
  const code = kase.data?.itemCode;
  const item = useLoad((signal) => (code ? api<Item>(`/api/v1/items/${encodeURIComponent(code)}`, { signal }) : Promise.resolve(null)), [code]);
  const reload = () => { kase.reload(); timeline.reload(); shipments.reload(); };
  useEffect(() => {
    const timer = setInterval(() => { if (!document.hidden) reload(); }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [ref]);

  // The case, its timeline and its parcels load apart; while any is on its way the page says so (a screen
  // reader waits, and so does a test that reads one part after seeing another).
  const busy = kase.loading || timeline.loading || shipments.loading || item.loading;
  return (
    <section data-testid="case-page" aria-busy={busy}>
      <p><a href="#/cases">← 返回办件列表</a></p>
      <Loading state={kase}>{(c) => {
        const events = timeline.data?.timeline ?? [];
        const supplements = events.filter((e) => e.type === 'supplement_provided').reduce((n, e) => n + (((e.data?.materials as unknown[]) ?? []).length), 0);
        return (
          <>
            <h1>
              办件 {c.caseId} <span class="tag state" data-testid="case-state">{label(CASE_STATES, c.state)}</span>
              {c.overdue ? <span class="tag bad">超期</span> : null}
              <button type="button" class="refresh" onClick={reload}>刷新</button>
            </h1>
            {c.role === 'intake' && c.state === 'intake' && me.role === 'intake' ? (
              <p class="banner ok">该办件尚未转办。<a href={`#/cases/new?case=${encodeURIComponent(c.ref)}`}>继续收件：上传材料并转办</a></p>
            ) : null}
            <div class="cols">
              <CaseFacts kase={c} itemName={item.data?.name ?? c.itemCode} memberName={members.name} />
              <div>
                <CaseClocks kase={c} />
                <h2>签收回执</h2>
                <CaseReceipt kase={c} supplements={supplements} />
              </div>
            </div>
            <CaseActions kase={c} events={events} item={item.data} role={me.role} onChanged={reload} />
            <CaseSupplements events={events} />
            <section aria-labelledby="timeline-title" class="panel">
              <h2 id="timeline-title">办理过程</h2>
              <Loading state={timeline}>{(t) => <CaseTimeline kase={c} events={t.timeline} memberName={members.name} />}</Loading>
            </section>
            <Loading state={shipments}>{(s) => (
              <CaseShipments caseRef={c.ref} shipments={s.shipments} canWrite={me.role === c.role} side={c.role} onChanged={reload} />
            )}</Loading>
            <CaseEvaluations caseRef={c.ref} state={c.state} />
            <CaseMeetings caseRef={c.ref} />
            <CaseEvidence caseRef={c.ref} evidence={timeline.data?.evidence ?? []} supervisor={me.role === 'supervisor'} memberName={members.name} />
          </>
        );
      }}</Loading>
    </section>
  );
}
