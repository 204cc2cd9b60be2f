import { formatDateTime } from '../../lib/format';
import type { ComplaintEvent } from './types';

const WHAT: Record<ComplaintEvent['type'], (e: ComplaintEvent) => string> = {
  received: () => '受理',
  escalated: (e) => `升级 ${e.level ?? ''} 级`,
  replied: () => '回复',
  closed: () => '办结',
};

/** 处理过程: 受理, each 升级 the upkeep made while it went unanswered, 回复, 办结 — in order. */
export function ComplaintHistory(p: { events: ComplaintEvent[] }) {
  if (!p.events.length) return <p class="muted">暂无记录。</p>;
  return (
    <table class="timeline" aria-label="处理过程">
      <thead><tr><th>时间</th><th>环节</th><th>操作人</th></tr></thead>
      <tbody>
        {p.events.map((e, i) => (
          <tr key={`${e.type}-${i}`}>
            <td class="nowrap">{formatDateTime(e.at)}</td>
            <td class="nowrap">{WHAT[e.type]?.(e) ?? e.type}</td>
            <td>{e.actor === 'system' ? '系统（超期自动升级）' : `工作人员 ${e.actor}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
