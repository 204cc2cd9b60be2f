import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { caseMaterials, cases } from '../../../db/schema/index';
import { afterTransition, type TransitionFacts } from '../after-transition';
import type { CaseCtx } from '../case-ctx';
import { materialsDigestOf } from '../intake/transfer-body';
import type { CaseRow } from '../intake/types';
import { jointProgress, stepStateOf, type JointPlan, type StepState } from '../joint-plan';
import { stateOf } from '../record-transition';
import type { CaseState } from '../state-machine';
import { recordJointEvent } from './joint-events';
import { startJointStep } from './start-step';
import { jointCaseState, jointPlanOf, stepStatesOf, unstartedSteps } from './steps';

/**
 * A step of a joint case moved (its receipt, an event of its handling member or of our clerk): in the
 * same transaction, under the joint case's row lock, transfer the steps it unblocks, or stop the steps
 * that can no longer start and tell the intake clerk on the joint case's timeline; then sum the steps up
 * in the joint case's own state. The joint case itself, and every case that is no step, have no
 * parentRef: nothing happens for them, which also ends the recursion when the joint case moves.
 */
export async function advanceJoint(tx: Db, ctx: CaseCtx, facts: TransitionFacts): Promise<void> {
  const { row } = facts;
  if (!row.parentRef || !row.step) return;
  const was = stepStateOf(facts.before);
  const is = stepStateOf(facts.after);
  // Only a receipt or a step's start, end or failure changes what the joint case sees.
  if (was === is && facts.event.type !== 'transfer_received') return;
  const [parent] = await tx.select().from(cases).where(eq(cases.ref, row.parentRef)).for('update');
  const plan = parent ? jointPlanOf(parent) : null;
  if (!parent || !plan) {
    ctx.logger.warn({ ref: row.ref, parentRef: row.parentRef }, 'a joint step whose joint case has no plan');
    return;
  }
  const children = await tx.select().from(cases).where(eq(cases.parentRef, parent.ref));
  const states = stepStatesOf(children);
  const progress = jointProgress(plan, states);
  const failed = plan.order.filter((id) => states[id] === 'failed').map((id) => children.find((c) => c.step === id)!);
  const current = stateOf(parent);
  const next = jointCaseState(current, {
    done: progress.done, received: children.some((c) => (c.stateDetail as CaseState | null)?.received),
    ...(failed[0] ? { failed: failed[0].stateDetail as CaseState } : {}),
  });
  const at = new Date(ctx.clock.now());
  const reason = is === 'failed' ? failureReason(row, facts) : undefined;
  await tellStep(tx, ctx, { parent, plan, states, row, is, reason, next, at });
  // A joint case with a failed step cannot complete as planned: no new step starts.
  if (!progress.failed && progress.ready.length) await startReady(tx, ctx, parent, plan, progress.ready, next.status);
  if (next.status !== current.status) await moveJointCase(tx, ctx, { parent, before: current, after: next, at, reason: reason && `step ${row.step}: ${reason}` });
}

interface StepNews {
  parent: CaseRow;
  plan: JointPlan;
  states: Record<string, StepState>;
  row: CaseRow;
  is: StepState;
  reason: string | undefined;
  next: CaseState;
  at: Date;
}

/** The joint case's timeline: a step done, or a step failed and the steps it keeps from starting. */
async function tellStep(tx: Db, ctx: CaseCtx, n: StepNews): Promise<void> {
  const step = n.row.step!;
  const tell = (type: 'joint_step_done' | 'joint_step_failed' | 'joint_blocked', id: string, data: Record<string, unknown>) =>
    recordJointEvent(tx, ctx, n.parent.ref, { type, step: id, data, statusAfter: n.next.status, at: n.at });
  if (n.is === 'done') await tell('joint_step_done', step, { member: n.row.handlingMember, ref: n.row.ref });
  if (n.is !== 'failed') return;
  await tell('joint_step_failed', step, { member: n.row.handlingMember, ref: n.row.ref, reason: n.reason });
  const dependants = new Set(jointProgress(n.plan, n.states).blocked);
  for (const id of unstartedSteps(n.plan, n.states)) {
    await tell('joint_blocked', id, { reason: dependants.has(id) ? `depends on step ${step}, which failed` : `the joint case stopped when step ${step} failed` });
  }
}

async function startReady(tx: Db, ctx: CaseCtx, parent: CaseRow, plan: JointPlan, ready: string[], parentStatus: CaseState['status']): Promise<void> {
  const materials = await tx.select().from(caseMaterials).where(eq(caseMaterials.caseRef, parent.ref)).orderBy(asc(caseMaterials.position));
  const materialsDigest = parent.materialsDigest ?? (await materialsDigestOf(ctx, materials));
  for (const id of ready) {
    await startJointStep(tx, ctx, { parent, step: plan.steps.find((s) => s.id === id)!, materials, materialsDigest, parentStatus });
  }
}

/** Why a step failed, in the words of the event that ended it (its note, a return's reason). */
function failureReason(row: CaseRow, facts: TransitionFacts): string {
  const e = facts.event;
  const said = ('note' in e ? e.note : undefined) ?? (e.type === 'returned' ? e.data.reason : e.type === 'decided' ? e.data.documentNo : undefined);
  const what = e.type === 'decided' ? 'denied' : e.type;
  return `${row.handlingMember ?? 'the handling member'} ${what}${said ? `: ${said}` : ''}`;
}

interface JointMove {
  parent: CaseRow;
  before: CaseState;
  after: CaseState;
  at: Date;
  reason: string | undefined;
}

/**
 * Sets the joint case's state directly: no member sends it an event, and the table's paths (a decision
 * needs `accepted` first) are those of one authority's case, not of a sum of several. The clocks and the
 * other after-transition hooks see it as the §7.2 event it amounts to.
 */
async function moveJointCase(tx: Db, ctx: CaseCtx, m: JointMove): Promise<void> {
  await tx.update(cases).set({ state: m.after.status, stateDetail: m.after, updatedAt: m.at }).where(eq(cases.ref, m.parent.ref));
  if (m.after.status === 'decided') await recordJointEvent(tx, ctx, m.parent.ref, { type: 'joint_completed', data: { outcome: 'approved' }, statusAfter: 'decided', at: m.at });
  await afterTransition(tx, ctx, { row: m.parent, event: eventOf(m), before: m.before, after: m.after, at: m.at });
}

function eventOf({ after, at, reason }: JointMove): TransitionFacts['event'] {
  const base = { eventId: `joint:${after.status}`, at: at.toISOString(), ...(reason ? { note: reason } : {}) };
  switch (after.status) {
    case 'decided': return { ...base, type: 'decided', data: { outcome: 'approved' } };
    case 'rejected': return { ...base, type: 'rejected' };
    case 'returned': return { ...base, type: 'returned', data: { reason: reason ?? 'a step was returned' } };
    case 'withdrawn': return { ...base, type: 'withdrawn' };
    default: return { type: 'transfer_received' };
  }
}
