import type { CaseRow } from '../intake/types';
import { planJointSteps, stepStateOf, type JointPlan, type JointStep, type StepState } from '../joint-plan';
import type { CaseState, CaseStatus } from '../state-machine';

/**
 * Local events on a joint case's own timeline (side intake, sender this member): they are not §7.2 events
 * and never leave the gateway; they tell the intake clerk what its steps did.
 */
export const JOINT_EVENT_TYPES = ['joint_step_sent', 'joint_step_done', 'joint_step_failed', 'joint_blocked', 'joint_completed'] as const;
export type JointEventType = (typeof JOINT_EVENT_TYPES)[number];

/** The plan kept on a joint case (`jointPlan`: its steps), ordered; null for any other case. */
export function jointPlanOf(row: Pick<CaseRow, 'jointPlan'>): JointPlan | null {
  if (!Array.isArray(row.jointPlan)) return null;
  const planned = planJointSteps(row.jointPlan as JointStep[]);
  return planned.ok ? planned.plan : null;
}

/** Each started step's state, from its case (a step with no case yet is pending). */
export function stepStatesOf(children: readonly CaseRow[]): Record<string, StepState> {
  return Object.fromEntries(children.filter((c) => c.step).map((c) => [c.step!, stepStateOf(c.stateDetail as CaseState)]));
}

/** The steps that never started: no case was made for them. */
export const unstartedSteps = (plan: JointPlan, states: Readonly<Record<string, StepState>>): string[] => plan.order.filter((id) => !states[id]);

/** What a failed step's case says about its end: the parent ends the same way. */
function failedStatusOf(step: CaseState): CaseStatus {
  if (step.status === 'rejected' || step.outcome === 'denied') return 'rejected';
  return step.status === 'withdrawn' ? 'withdrawn' : 'returned';
}

const OPEN = new Set<CaseStatus>(['transferring', 'received']);

/**
 * The joint case's own state, which sums up its steps'. The state machine has no event for it (no member
 * sends one): it is set here. While steps run it is `transferring`, then `received` once a receipt came
 * back; every step done makes it `decided` (approved); a failed step ends it `rejected` (a step refused or
 * denied), `returned` or `withdrawn`. An ended joint case keeps its state whatever its other steps do.
 */
export function jointCaseState(current: CaseState, steps: { done: boolean; failed?: CaseState; received: boolean }): CaseState {
  if (!OPEN.has(current.status)) return current;
  const received = current.received || steps.received;
  if (steps.failed) return { ...current, received, status: failedStatusOf(steps.failed) };
  if (steps.done) return { ...current, received: true, accepted: true, status: 'decided', outcome: 'approved' };
  if (received && current.status === 'transferring') return { ...current, received, status: 'received' };
  return current;
}
