import type { CaseState } from './state-machine';

/** One member's part of a joint case (多地联办), e.g. 户口迁移: `zqz` at the destination, then `qc` at the origin. */
export interface JointStep {
  id: string;
  member: string;
  dependsOn: string[];
}

export type StepState = 'pending' | 'running' | 'done' | 'failed';

export interface JointPlan {
  steps: readonly JointStep[];
  /** A topological order: every step after the steps it depends on (ties in the given order). */
  order: string[];
  /** Steps that may run at the same time: layer k depends only on layers before k. */
  layers: string[][];
}

export type PlanResult =
  | { ok: true; plan: JointPlan }
  | { ok: false; code: 'duplicate_step' | 'unknown_dependency' | 'cycle'; reason: string };

/** Checks that the steps form a DAG over known ids, and orders them (Kahn's algorithm). */
export function planJointSteps(steps: readonly JointStep[]): PlanResult {
  const ids = new Set<string>();
  for (const s of steps) {
    if (ids.has(s.id)) return { ok: false, code: 'duplicate_step', reason: `step ${s.id} appears twice` };
    ids.add(s.id);
  }
  for (const s of steps) {
    const unknown = s.dependsOn.find((d) => !ids.has(d));
    if (unknown !== undefined) return { ok: false, code: 'unknown_dependency', reason: `step ${s.id} depends on unknown step ${unknown}` };
  }
  const waiting = new Map(steps.map((s) => [s.id, new Set(s.dependsOn)]));
  const order: string[] = [];
  const layers: string[][] = [];
  while (waiting.size > 0) {
    const layer = [...waiting].filter(([, deps]) => deps.size === 0).map(([id]) => id);
    if (layer.length === 0) return { ok: false, code: 'cycle', reason: `steps ${[...waiting.keys()].join(', ')} depend on each other in a cycle` };
    for (const id of layer) waiting.delete(id);
    for (const deps of waiting.values()) for (const id of layer) deps.delete(id);
    layers.push(layer);
    order.push(...layer);
  }
  return { ok: true, plan: { steps, order, layers } };
}

export interface JointProgress {
  /** Pending steps whose dependencies are all done: they can be transferred now. */
  ready: string[];
  /** Pending steps that can never start: a step they depend on (directly or not) failed. */
  blocked: string[];
  /** Every step done. */
  done: boolean;
  /** A step failed: the joint case cannot complete as planned. */
  failed: boolean;
}

/** Where a joint case stands, given each step's state (a step not listed is pending). */
export function jointProgress(plan: JointPlan, states: Readonly<Record<string, StepState>>): JointProgress {
  const stateOf = (id: string): StepState => states[id] ?? 'pending';
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const doomed = new Set<string>();
  // In topological order a step's dependencies are settled before it is looked at.
  for (const id of plan.order) {
    const deps = byId.get(id)?.dependsOn ?? [];
    if (stateOf(id) === 'failed' || deps.some((d) => doomed.has(d))) doomed.add(id);
  }
  const pending = plan.order.filter((id) => stateOf(id) === 'pending');
  return {
    ready: pending.filter((id) => (byId.get(id)?.dependsOn ?? []).every((d) => stateOf(d) === 'done')),
    blocked: pending.filter((id) => doomed.has(id)),
    done: plan.order.every((id) => stateOf(id) === 'done'),
    failed: plan.order.some((id) => stateOf(id) === 'failed'),
  };
}

const ENDED = new Set<CaseState['status']>(['rejected', 'withdrawn', 'returned', 'archived']);

/** A step's state from its case: done once approved (the next member may start), failed when denied or ended without approval. */
export function stepStateOf(state: CaseState | undefined): StepState {
  if (!state) return 'pending';
  if (state.outcome === 'approved') return 'done';
  if (state.outcome === 'denied' || ENDED.has(state.status)) return 'failed';
  return 'running';
}
