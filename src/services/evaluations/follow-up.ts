import { eq } from 'drizzle-orm';
import type { FollowUpSettings } from '../../config';
import { evaluationFollowups, evaluations } from '../../db/schema/index';
import { AppError } from '../../lib/errors';
import type { WorkingCalendar } from '../calendar/calendar';
import { workingDayDeadline } from '../calendar/sla';
import type { ClerkIdentity } from '../clerks/schema';
import type { EvaluationCtx, FollowUpAction, FollowUpRow, FollowUpState } from './schema';
import { evaluationView, type EvaluationView } from './view';

/**
 * A 差评's deadlines, in working days from the day it was given (that day not counted, as for every
 * deadline of the gateway): call the applicant back, then remedy; each due at 24:00 Beijing of its last day.
 * @example followUpClocks(cal, { badReviewCallbackDays: 1, badReviewRemedyDays: 15 }, friday) // callback due at the end of Monday
 */
export function followUpClocks(calendar: WorkingCalendar, settings: Pick<FollowUpSettings, 'badReviewCallbackDays' | 'badReviewRemedyDays'>, at: number) {
  const due = (days: number) => new Date(workingDayDeadline(calendar, { start: at, days, now: at }).dueAt);
  return { callbackDueAt: due(settings.badReviewCallbackDays), remedyDueAt: due(settings.badReviewRemedyDays) };
}

/** Each action and the one state it follows: call back, remedy, close, in this order. */
const STEP: Record<FollowUpAction, { from: FollowUpState; to: FollowUpState }> = {
  call_back: { from: 'open', to: 'called_back' },
  remedy: { from: 'called_back', to: 'remedied' },
  close: { from: 'remedied', to: 'closed' },
};

const doneBy = (action: FollowUpAction, by: string, at: Date, note: string | undefined): Partial<FollowUpRow> => {
  if (action === 'call_back') return { calledBackAt: at, calledBackBy: by, callbackNote: note ?? null };
  if (action === 'remedy') return { remediedAt: at, remediedBy: by, remedyNote: note ?? null };
  return { closedAt: at, closedBy: by };
};

/**
 * A step of a 差评's follow-up, by a clerk of this member. Closing is a supervisor's (403 otherwise); a
 * step out of order, or an evaluation without a follow-up (not a 差评, or a copy a peer forwarded), is 409.
 */
export async function actOnFollowUp({ ctx, input }: {
  ctx: EvaluationCtx;
  input: { clerk: ClerkIdentity; id: string; action: FollowUpAction; note?: string };
}): Promise<EvaluationView> {
  const { clerk, action } = input;
  const [evaluation] = await ctx.db.select().from(evaluations).where(eq(evaluations.id, input.id));
  if (!evaluation) throw new AppError('not_found', `no evaluation ${input.id}`);
  if (action === 'close' && clerk.role !== 'supervisor') throw new AppError('not_authorized', `a follow-up is closed by a supervisor; clerk ${clerk.id} is ${clerk.role}`);
  return ctx.db.transaction(async (tx) => {
    const [followUp] = await tx.select().from(evaluationFollowups).where(eq(evaluationFollowups.evaluationId, evaluation.id)).for('update');
    if (!followUp) throw new AppError('invalid_transition', `evaluation ${evaluation.id} has no follow-up: only a 差评 (score 1 or 2) given to this member has one`);
    const step = STEP[action];
    if (followUp.state !== step.from) throw new AppError('invalid_transition', `${action} follows ${step.from}; the follow-up is ${followUp.state}`);
    const now = new Date(ctx.clock.now());
    const [updated] = await tx.update(evaluationFollowups).set({ state: step.to, ...doneBy(action, clerk.id, now, input.note), updatedAt: now })
      .where(eq(evaluationFollowups.evaluationId, evaluation.id)).returning();
    return evaluationView(ctx.sealer, evaluation, updated!, now.getTime());
  });
}
