import { formatDate, formatDateTime } from '../../lib/format';
import { CASE_STATES, EVENT_TYPES, label } from '../../lib/labels';
import { actorText, CASE_ROLES, OUTCOMES } from './case-labels';
import type { CaseView, SupplementItem, TimelineEvent } from './types';

interface Row { key: string; at: string; what: string; side: string; actor: string; status: string; detail: string }

/** 办理过程: the intake and the receipt (kept on the case), then every §7.2 event of both sides, in order. */
export function CaseTimeline(p: { kase: CaseView; events: TimelineEvent[]; memberName: (id: string) => string }) {
  const c = p.kase;
  const rows: Row[] = [];
  if (c.role === 'intake') {
    rows.push({ key: 'intake', at: c.createdAt, what: '窗口收件', side: p.memberName(c.intakeMember), actor: `工作人员 ${c.clerk}`, status: '', detail: `窗口 ${c.window}` });
  }
  if (c.receiptId && c.receivedAt) {
    rows.push({ key: 'receipt', at: c.receivedAt, what: '办理地签收', side: p.memberName(c.handlingMember ?? ''), actor: '—', status: label(CASE_STATES, 'received'), detail: `回执 ${c.receiptId}` });
  }
  for (const e of p.events) {
    rows.push({
      key: e.eventId, at: e.at, what: label(EVENT_TYPES, e.type), side: `${label(CASE_ROLES, e.side)}方 · ${p.memberName(e.sender)}`,
      actor: actorText(e.actor, p.memberName), status: label(CASE_STATES, e.status), detail: [e.note, dataText(e)].filter(Boolean).join('；'),
    });
  }
  return (
    <table class="timeline" aria-label="办理过程">
      <thead><tr><th>时间</th><th>环节</th><th>发起方</th><th>操作人</th><th>办理后状态</th><th>说明</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td class="nowrap">{formatDateTime(r.at)}</td><td class="nowrap">{r.what}</td><td>{r.side}</td><td>{r.actor}</td>
            <td class="nowrap">{r.status}</td><td>{r.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What an event's data says, in a few words. */
function dataText(e: TimelineEvent): string {
  const d = (e.data ?? {}) as Record<string, unknown>;
  switch (e.type) {
    case 'decided': return `结果：${label(OUTCOMES, d.outcome as string)}${d.documentNo ? `，文号 ${String(d.documentNo)}` : ''}`;
    case 'shipped': return `${String(d.carrier ?? '')} ${String(d.trackingNo ?? '')}`.trim();
    case 'returned': return `退件原因：${String(d.reason ?? '')}`;
    case 'supplement_requested': {
      const items = (d.items as SupplementItem[] | undefined) ?? [];
      return `需补正：${items.map((i) => i.name).join('、')}；期限 ${formatDate(d.deadline as string)}`;
    }
    case 'supplement_provided': return `补正材料：${((d.materials as { name: string }[] | undefined) ?? []).map((m) => m.name).join('、')}`;
    default: return '';
  }
}
