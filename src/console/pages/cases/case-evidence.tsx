import { useState } from 'preact/hooks';
import { ApiError, download } from '../../lib/api';
import { problemMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { label } from '../../lib/labels';
import { Banner } from '../../ui/form';
import { EVIDENCE_KINDS } from './case-labels';
import type { EvidenceEntry } from './types';

/**
 * 存证: the signed messages of the case in the evidence log. Supervisors export the bundle (it holds the
 * opened bodies, the full ID number among them) to verify offline with `handshake audit verify --bundle`.
 */
export function CaseEvidence(p: { caseRef: string; evidence: EvidenceEntry[]; supervisor: boolean; memberName: (id: string) => string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const exportBundle = async () => {
    setBusy(true);
    setError(null);
    try {
      await download(`/api/v1/cases/${encodeURIComponent(p.caseRef)}/evidence-bundle`, `evidence-${p.caseRef}.json`);
    } catch (e) {
      setError(e instanceof ApiError ? problemMessage(e) : '导出失败，请重试');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="evidence-title" class="panel">
      <h2 id="evidence-title">存证记录</h2>
      {p.supervisor ? (
        <div class="actions">
          <button type="button" onClick={exportBundle} disabled={busy}>{busy ? '正在导出…' : '导出证据包'}</button>
          <span class="muted">含申请人完整证件号码，请妥善保管</span>
        </div>
      ) : null}
      <Banner message={error} />
      {p.evidence.length ? (
        <table>
          <thead><tr><th>序号</th><th>时间</th><th>类型</th><th>对方</th><th>接口</th><th>哈希</th></tr></thead>
          <tbody>
            {p.evidence.map((r) => (
              <tr key={r.seq}>
                <td>{r.seq}</td><td class="nowrap">{formatDateTime(r.at)}</td><td>{label(EVIDENCE_KINDS, r.kind)}</td>
                <td>{p.memberName(r.peer)}</td><td class="mono">{r.method} {r.path}</td>
                <td class="mono digest" title={r.hash}>{r.hash.slice(0, 16)}…</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p class="muted">暂无存证记录（转办后产生）。</p>}
    </section>
  );
}
