import { formatDateTime } from '../../lib/format';
import { formatDue } from './clocks';
import type { FollowUp } from './types';

interface Step { name: string; due: string | null; at: string | null; by: string | null; note: string | null; overdue: boolean }

/** 回访 -> 整改 -> 办结, each with its due time, who did it when, and what they wrote. */
export function FollowUpSteps(p: { followUp: FollowUp }) {
  const f = p.followUp;
  const steps: Step[] = [
    { name: '回访', due: f.callbackDueAt, at: f.calledBackAt, by: f.calledBackBy, note: f.callbackNote, overdue: f.callbackOverdue },
    { name: '整改', due: f.remedyDueAt, at: f.remediedAt, by: f.remediedBy, note: f.remedyNote, overdue: f.remedyOverdue },
    { name: '办结（主管）', due: null, at: f.closedAt, by: f.closedBy, note: null, overdue: false },
  ];
  return (
    <ol class="follow-up-steps" aria-label="差评处理步骤">
      {steps.map((s) => (
        <li key={s.name} class={s.at ? 'done' : s.overdue ? 'late' : undefined}>
          <strong>{s.name}</strong>
          {s.due ? <span>时限 {formatDue(s.due)} 前{s.overdue ? <span class="tag bad">超时</span> : null}</span> : null}
          <span>{s.at ? `${formatDateTime(s.at)} · ${s.by ?? ''}` : '未完成'}</span>
          {s.note ? <q>{s.note}</q> : null}
        </li>
      ))}
    </ol>
  );
}
