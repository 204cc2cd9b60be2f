import { formatDateTime } from '../../lib/format';
import { FOLLOW_UP_STATES, label } from '../../lib/labels';
import { formatDue } from './clocks';
import type { FollowUp } from './types';

/** The state of a 差评's follow-up as a tag; overdue (a step late) shows as a warning. */
export function FollowUpState(p: { followUp: FollowUp }) {
  const f = p.followUp;
  const late = f.state !== 'closed' && (f.callbackOverdue || f.remedyOverdue);
  return (
    <span class={`tag ${f.state === 'closed' ? 'ok' : late ? 'bad' : 'warn'}`} data-testid="follow-up-state">
      {label(FOLLOW_UP_STATES, f.state)}{late ? '（已超时）' : ''}
    </span>
  );
}

function Clock(p: { name: string; due: string; doneAt: string | null; overdue: boolean }) {
  const status = p.doneAt ? `已于 ${formatDateTime(p.doneAt)} 完成` : '未完成';
  return (
    <li class={p.overdue ? 'late' : undefined}>
      <strong>{p.name}</strong> {formatDue(p.due)} 前
      <span class="muted">（{status}{p.overdue ? '，已超时' : ''}）</span>
    </li>
  );
}

/** 回访时限 and 整改时限: the due times the gateway set from its working calendar and configured days. */
export function FollowUpClocks(p: { followUp: FollowUp }) {
  const f = p.followUp;
  return (
    <ul class="clocks" aria-label="差评处理时限">
      <Clock name="回访时限" due={f.callbackDueAt} doneAt={f.calledBackAt} overdue={f.callbackOverdue} />
      <Clock name="整改时限" due={f.remedyDueAt} doneAt={f.remediedAt} overdue={f.remedyOverdue} />
    </ul>
  );
}
