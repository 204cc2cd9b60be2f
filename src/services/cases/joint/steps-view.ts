import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { caseEvents, cases } from '../../../db/schema/index';
import type { CaseRow } from '../intake/types';
import { jointProgress, stepStateOf, type StepState } from '../joint-plan';
import type { CaseState, CaseStatus } from '../state-machine';
import { jointPlanOf, stepStatesOf } from './steps';

/** A step of a joint case as the clerk API shows it. */
export interface JointStepView {
  id: string;
  member: string;
  dependsOn: string[];
  /** blocked: never sent, because a step failed. */
  state: StepState | 'blocked';
  /** Our ref of the step's case, once sent. */
  ref: string | null;
  remoteRef: string | null;
  receiptId: string | null;
  status: CaseStatus | null;
  reason?: string;
}

/**
 * The steps of a joint case, in the order they can run, from its step cases and the reasons its timeline
 * keeps (joint_step_failed, joint_blocked). Null for any other case.
 */
export function jointStepsView(parent: CaseRow, children: readonly CaseRow[], reasons: ReadonlyMap<string, string> = new Map()): JointStepView[] | null {
  const plan = jointPlanOf(parent);
  if (!plan) return null;
  const states = stepStatesOf(children);
  const progress = jointProgress(plan, states);
  return plan.order.map((id) => {
    const step = plan.steps.find((s) => s.id === id)!;
    const child = children.find((c) => c.step === id);
    const blocked = !child && (progress.failed || reasons.has(id));
    const reason = reasons.get(id);
    return {
      id, member: step.member, dependsOn: [...step.dependsOn],
      state: child ? stepStateOf(child.stateDetail as CaseState) : blocked ? 'blocked' : 'pending',
      ref: child?.ref ?? null, remoteRef: child?.remoteRef ?? null, receiptId: child?.receiptId ?? null, status: (child?.state as CaseStatus | undefined) ?? null,
      ...(reason ? { reason } : {}),
    };
  });
}

/** Reads a joint case's steps: its step cases and the reasons on its timeline. */
export async function loadJointSteps(db: Db, parent: CaseRow): Promise<JointStepView[] | null> {
  if (!parent.jointPlan) return null;
  const children = await db.select().from(cases).where(eq(cases.parentRef, parent.ref));
  const told = await db.select({ data: caseEvents.data }).from(caseEvents)
    .where(and(eq(caseEvents.caseRef, parent.ref), inArray(caseEvents.type, ['joint_step_failed', 'joint_blocked'])));
  const reasons = new Map<string, string>();
  for (const { data } of told) {
    const d = data as { step?: string; reason?: string } | null;
    if (d?.step && d.reason) reasons.set(d.step, d.reason);
  }
  return jointStepsView(parent, children, reasons);
}
