import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { cases } from '../../../db/schema/index';
import { AppError } from '../../../lib/errors';
import { afterTransition } from '../after-transition';
import type { CaseCtx } from '../case-ctx';
import { materialsDigestOf, type MaterialRow } from '../intake/transfer-body';
import type { CaseRow } from '../intake/types';
import { jointProgress } from '../joint-plan';
import type { CaseState } from '../state-machine';
import { jointPlanErrors } from './check-plan';
import { startJointStep, type StartedStep } from './start-step';
import { jointPlanOf } from './steps';

export interface JointTransferAnswer {
  ref: string;
  state: 'transferring';
  /** The steps sent now: those that depend on no other; the rest follow as their dependencies are done. */
  steps: StartedStep[];
}

export interface JointTransferInput {
  /** The joint case, complete, under its row lock. */
  row: CaseRow;
  materials: readonly MaterialRow[];
  /** Its state after transfer_sent. */
  sent: CaseState;
  to?: string;
}

/**
 * The transfer of a joint case (多地联办), in the caller's transaction: the members are checked again
 * against the registry in force, the case moves to `transferring`, and each step ready now (depending on
 * no other) gets its own case and §7.1 transfer. advanceJoint (advance.ts) starts the others.
 */
export async function transferJointCase(tx: Db, ctx: CaseCtx, input: JointTransferInput): Promise<JointTransferAnswer> {
  const { row, sent } = input;
  if (input.to !== undefined) throw new AppError('invalid_request', 'a joint case goes to the members of its steps', { errors: [{ path: 'to', message: 'not allowed for a joint case: each step names its member' }] });
  const plan = jointPlanOf(row);
  if (!plan) throw new AppError('internal', `joint case ${row.ref} has no valid plan`);
  const errors = jointPlanErrors(plan.steps, { registry: ctx.registry(), selfId: ctx.selfId, itemCode: row.itemCode });
  if (errors.length) throw new AppError('invalid_transition', `the registry in force no longer allows the plan of case ${row.ref}`, { errors });
  const now = new Date(ctx.clock.now());
  const materialsDigest = await materialsDigestOf(ctx, input.materials);
  await tx.update(cases).set({ state: sent.status, stateDetail: sent, materialsDigest, updatedAt: now }).where(eq(cases.ref, row.ref));
  await afterTransition(tx, ctx, { row, event: { type: 'transfer_sent' }, before: row.stateDetail as CaseState, after: sent, at: now });
  const parent: CaseRow = { ...row, state: sent.status, stateDetail: sent, materialsDigest };
  const steps: StartedStep[] = [];
  for (const id of jointProgress(plan, {}).ready) {
    const step = plan.steps.find((s) => s.id === id)!;
    steps.push(await startJointStep(tx, ctx, { parent, step, materials: input.materials, materialsDigest, parentStatus: sent.status }));
  }
  return { ref: row.ref, state: 'transferring', steps };
}
