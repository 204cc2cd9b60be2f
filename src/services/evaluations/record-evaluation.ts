import { and, eq } from 'drizzle-orm';
import { cases, evaluationFollowups, evaluations } from '../../db/schema/index';
import { AppError } from '../../lib/errors';
import type { ClerkIdentity } from '../clerks/schema';
import { findReadableCase, stageRefusal, stepsOf } from './case-access';
import { followUpClocks } from './follow-up';
import { evaluationTargets, forwardEvaluation } from './forward';
import { isBadScore, type EvaluationCtx, type EvaluationStage } from './schema';
import { evaluationView, type EvaluationView } from './view';

export interface NewEvaluation {
  stage: EvaluationStage;
  score: number;
  channel: string;
  comment?: string;
  at?: string;
}

/** A pad's or a phone's clock may run a little ahead of ours; more than this is a typing error. */
const FUTURE_SKEW_MS = 10 * 60_000;

/**
 * An applicant's evaluation given to this member (at its window, pad, web, ...), recorded by a clerk who
 * may read the case. In one transaction under the case's row lock: the stage must be reached (409), one
 * evaluation per case and stage (409), the comment sealed, a 差评's follow-up opened with its clocks, and
 * the §7.4 message queued for the other member(s) of the case.
 */
export async function recordEvaluation({ ctx, input }: { ctx: EvaluationCtx; input: { clerk: ClerkIdentity; ref: string; body: NewEvaluation } }): Promise<EvaluationView> {
  const { clerk, body } = input;
  // An empty comment box is no comment.
  const comment = body.comment || undefined;
  const now = ctx.clock.now();
  const at = body.at === undefined ? now : Date.parse(body.at);
  if (at > now + FUTURE_SKEW_MS) throw new AppError('invalid_request', 'the body is not valid: 1 problem', { errors: [{ path: 'at', message: 'is in the future' }] });
  const found = await findReadableCase(ctx.db, input.ref, clerk);
  if (!found) throw new AppError('not_found', `no case ${input.ref}`);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(cases).where(eq(cases.ref, found.ref)).for('update');
    const steps = await stepsOf(tx, row!);
    const refused = stageRefusal(row!, steps, body.stage);
    if (refused) throw new AppError('invalid_transition', refused);
    const [seen] = await tx.select({ id: evaluations.id }).from(evaluations).where(and(eq(evaluations.caseRef, row!.ref), eq(evaluations.stage, body.stage)));
    if (seen) throw new AppError('invalid_transition', `case ${row!.ref} was already evaluated at this stage (${body.stage}): ${seen.id}`);
    const [inserted] = await tx.insert(evaluations).values({
      id: ctx.ids.make('eva'), caseRef: row!.ref, stage: body.stage, score: body.score, channel: body.channel,
      commentSealed: comment === undefined ? null : await ctx.sealer.seal(comment),
      origin: 'local', recordedBy: clerk.id, at: new Date(at), createdAt: new Date(now),
    }).returning();
    const followUp = isBadScore(body.score)
      ? (await tx.insert(evaluationFollowups).values({ evaluationId: inserted!.id, state: 'open', ...followUpClocks(ctx.calendar, ctx.followUp, at), updatedAt: new Date(now) }).returning())[0]!
      : null;
    await forwardEvaluation(tx, ctx, evaluationTargets(row!, steps), { score: body.score, stage: body.stage, channel: body.channel, ...(comment !== undefined ? { comment } : {}), at: new Date(at).toISOString() });
    return evaluationView(ctx.sealer, inserted!, followUp, now);
  });
}
