import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { cases } from '../../../db/schema/index';
import type { TransitionFacts } from '../after-transition';
import type { CaseCtx } from '../case-ctx';
import { backOfficeHandles } from './link';

/**
 * A handling case with a back office moved: when the intake member withdrew it, the back-office worker
 * is scheduled (partnerNextAt now, in the transition's transaction) to withdraw it there too; the worker
 * tells the work by the case's state (withdrawn) and partnerState (not yet withdrawn). A case never sent
 * to the back office (no partnerRef, no attempt) is stopped by the worker without a call.
 * When the intake member provided supplements to a case the back office has, the worker is scheduled
 * the same way to pass them on; it tells that work by the timeline (supplement.ts). A case not yet at the
 * back office takes them with its submission.
 */
export async function backOfficeAfterTransition(tx: Db, ctx: CaseCtx, facts: TransitionFacts): Promise<void> {
  const { row, after } = facts;
  if (row.role !== 'handling' || !backOfficeHandles(ctx, row.itemCode)) return;
  const withdrawn = after.status === 'withdrawn' && facts.before.status !== 'withdrawn';
  const supplemented = facts.event.type === 'supplement_provided' && !!row.partnerRef;
  if (!withdrawn && !supplemented) return;
  if (withdrawn && !row.partnerRef && row.partnerNextAt === null && row.partnerAttempts === 0) return;
  await tx.update(cases).set({ partnerNextAt: facts.at }).where(eq(cases.ref, row.ref));
}
