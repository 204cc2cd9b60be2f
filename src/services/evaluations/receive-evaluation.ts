import { and, eq } from 'drizzle-orm';
import { cases, evaluations } from '../../db/schema/index';
import { AppError } from '../../lib/errors';
import type { Sealer } from '../../lib/sealed';
import { findVisibleCase } from '../cases/case-events';
import type { EvaluationCtx, EvaluationRow, EvaluationStage, ForwardedEvaluation } from './schema';

export interface EvaluationReceipt {
  caseRef: string;
  stage: EvaluationStage;
  status: 'recorded';
  /** This member's own ref of the case, for its evidence (not part of the answer). */
  ownRef: string;
}

/**
 * §7.4: an evaluation the applicant gave to the other member of a case, kept here for the record and
 * the statistics (origin = the sender; no follow-up: the 差评 is followed up where it was given). The
 * case is found as for §7.2 (our ref on a handling case, the handling member's on an intake case), 404 to
 * a member that does not take part in it. The stage is not checked against our state: the event that
 * reached it may still be on its way to us. The same content again answers 200; other content 409.
 */
export async function receiveEvaluation({ ctx, input }: { ctx: EvaluationCtx; input: { from: string; body: ForwardedEvaluation } }): Promise<EvaluationReceipt> {
  const { from, body } = input;
  const visible = await findVisibleCase(ctx.db, body.caseRef, from);
  if (!visible) throw new AppError('not_found', `no case ${body.caseRef}`);
  const ownRef = visible.row.ref;
  const comment = body.comment || undefined;
  const receipt: EvaluationReceipt = { caseRef: body.caseRef, stage: body.stage, status: 'recorded', ownRef };
  return ctx.db.transaction(async (tx) => {
    await tx.select({ ref: cases.ref }).from(cases).where(eq(cases.ref, ownRef)).for('update');
    const [seen] = await tx.select().from(evaluations).where(and(eq(evaluations.caseRef, ownRef), eq(evaluations.stage, body.stage)));
    if (seen) {
      if (await sameEvaluation(ctx.sealer, seen, { ...body, comment }, from)) return receipt;
      throw new AppError('invalid_transition', `case ${body.caseRef} was already evaluated at stage ${body.stage}, with other content`);
    }
    const now = new Date(ctx.clock.now());
    await tx.insert(evaluations).values({
      id: ctx.ids.make('eva'), caseRef: ownRef, stage: body.stage, score: body.score, channel: body.channel,
      commentSealed: comment === undefined ? null : await ctx.sealer.seal(comment),
      origin: from, recordedBy: null, at: new Date(Date.parse(body.at)), createdAt: now,
    });
    return receipt;
  });
}

/** The stored evaluation says what the body says, and came from the same member (not given to us). */
async function sameEvaluation(sealer: Sealer, row: EvaluationRow, body: Omit<ForwardedEvaluation, 'caseRef'>, from: string): Promise<boolean> {
  const same = row.origin === from && row.score === body.score && row.channel === body.channel && row.at.getTime() === Date.parse(body.at);
  if (!same) return false;
  const stored = row.commentSealed === null ? undefined : await sealer.open(row.commentSealed);
  return stored === body.comment;
}
