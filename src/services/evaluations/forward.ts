import type { Db } from '../../db/client';
import { enqueueMessage } from '../../federation/outbox/enqueue';
import type { CaseRow } from '../cases/intake/types';
import type { EvaluationCtx, ForwardedEvaluation } from './schema';

export const EVALUATION_KIND = 'evaluation';
export const EVALUATION_PATH = '/federation/v1/evaluations';

/** One member an evaluation goes to, with the case as §7.4 names it (the handling member's ref). */
export interface EvaluationTarget {
  to: string;
  caseRef: string;
  /** Our own ref of the case the message concerns (for the outbox and the evidence). */
  ownRef: string;
}

/**
 * The other member(s) of a case: on a handling case the intake member, at our own ref; on an intake case
 * the handling member, at its ref from the receipt; on a joint case every step's handling member that
 * has the step (a step not sent yet, or without a receipt, has no ref to name, and is left out).
 */
export function evaluationTargets(row: CaseRow, steps: readonly CaseRow[]): EvaluationTarget[] {
  if (row.role === 'handling') return [{ to: row.intakeMember, caseRef: row.ref, ownRef: row.ref }];
  const held = steps.length ? steps : [row];
  return held.filter((c) => c.remoteRef && c.handlingMember).map((c) => ({ to: c.handlingMember!, caseRef: c.remoteRef!, ownRef: c.ref }));
}

/**
 * Queues the §7.4 message to each target in the caller's transaction, so it leaves exactly when the
 * evaluation is recorded. A comment is the applicant's own words: such a body is sealed at rest.
 */
export async function forwardEvaluation(tx: Db, ctx: EvaluationCtx, targets: readonly EvaluationTarget[], e: Omit<ForwardedEvaluation, 'caseRef'>): Promise<string[]> {
  const ids: string[] = [];
  for (const t of targets) {
    const body: ForwardedEvaluation = { caseRef: t.caseRef, score: e.score, stage: e.stage, channel: e.channel, ...(e.comment !== undefined ? { comment: e.comment } : {}), at: e.at };
    const message = await enqueueMessage(tx, { kind: EVALUATION_KIND, caseRef: t.ownRef, to: t.to, method: 'POST', path: EVALUATION_PATH, body, personal: e.comment !== undefined }, ctx);
    ids.push(message.id);
  }
  return ids;
}
