import { COMPLAINT_STATES, label } from '../../lib/labels';
import type { Complaint } from './types';

/** 状态 with what needs attention: 超期 (open past its reply date) and 已升级 N 级. */
export function ComplaintTags(p: { c: Complaint }) {
  return (
    <>
      <span class="tag state" data-testid="complaint-state">{label(COMPLAINT_STATES, p.c.state)}</span>
      {p.c.overdue ? <span class="tag bad">超期</span> : null}
      {p.c.escalationLevel > 0 ? <span class="tag warn">已升级 {p.c.escalationLevel} 级</span> : null}
    </>
  );
}
