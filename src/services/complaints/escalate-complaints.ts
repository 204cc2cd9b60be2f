import { and, asc, eq, lt } from 'drizzle-orm';
import { complaintEvents, complaints } from '../../db/schema/index';
import { nextEscalation, type ComplaintCtx } from './rules';

/** Complaints escalated in one round at most; the rest wait for the next round of the upkeep. */
const ROUND = 500;

/**
 * The upkeep's round (限时回复): each open complaint whose `nextEscalationAt` has passed goes up one
 * level, with an `escalated` event, and is due again one reply period later. Rows another instance is
 * escalating are skipped, so two upkeeps never escalate one complaint twice. Only the count is logged.
 */
export async function escalateOverdueComplaints({ ctx }: { ctx: ComplaintCtx }): Promise<{ escalated: number }> {
  const now = new Date(ctx.clock.now());
  const days = ctx.followUp.complaintReplyDays;
  const escalated = await ctx.db.transaction(async (tx) => {
    const due = await tx.select({ id: complaints.id, level: complaints.escalationLevel, next: complaints.nextEscalationAt }).from(complaints)
      .where(and(eq(complaints.state, 'open'), lt(complaints.nextEscalationAt, now)))
      .orderBy(asc(complaints.nextEscalationAt)).limit(ROUND).for('update', { skipLocked: true });
    for (const c of due) {
      const level = c.level + 1;
      await tx.update(complaints).set({ escalationLevel: level, escalatedAt: now, nextEscalationAt: nextEscalation(ctx.calendar, c.next!, days), updatedAt: now })
        .where(eq(complaints.id, c.id));
      await tx.insert(complaintEvents).values({ id: ctx.ids.make('ce'), complaintId: c.id, type: 'escalated', at: now, actor: 'system', level });
    }
    return due.length;
  });
  if (escalated) ctx.logger.info({ escalated }, 'overdue complaints escalated');
  return { escalated };
}
