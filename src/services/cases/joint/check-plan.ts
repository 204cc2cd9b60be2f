import type { KeyIndex } from '../../../federation/registry/key-index';
import type { FieldError } from '../../../lib/errors';
import { planJointSteps, type JointStep } from '../joint-plan';

export interface PlanCheckInput {
  registry: KeyIndex | null;
  selfId: string;
  itemCode: string;
}

/**
 * Every problem of a joint plan, each naming its field (`steps[1].dependsOn`): the graph (a step id twice,
 * a dependency on no step, a cycle) and each step's member against the registry (an active member, not
 * us, that lists the item with mode joint).
 * @example jointPlanErrors([{ id: 'a', member: 'xihaike', dependsOn: ['b'] }], input) // steps[0].dependsOn
 */
export function jointPlanErrors(steps: readonly JointStep[], input: PlanCheckInput): FieldError[] {
  return [...graphErrors(steps), ...steps.flatMap((s, i) => memberErrors(s, i, input))];
}

function graphErrors(steps: readonly JointStep[]): FieldError[] {
  const errors: FieldError[] = [];
  const ids = new Set<string>();
  steps.forEach((s, i) => {
    if (ids.has(s.id)) errors.push({ path: `steps[${i}].id`, message: `step ${s.id} appears twice` });
    ids.add(s.id);
  });
  steps.forEach((s, i) => {
    const unknown = s.dependsOn.filter((d) => !ids.has(d));
    if (unknown.length) errors.push({ path: `steps[${i}].dependsOn`, message: `names no step of the plan: ${unknown.join(', ')}` });
  });
  if (errors.length) return errors;
  const planned = planJointSteps(steps);
  if (planned.ok) return [];
  const stuck = new Set(unorderable(steps));
  return steps.flatMap((s, i) => (stuck.has(s.id) ? [{ path: `steps[${i}].dependsOn`, message: planned.reason }] : []));
}

/** The steps no order can place: those in a cycle, and those waiting on one. */
function unorderable(steps: readonly JointStep[]): string[] {
  const placed = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const s of steps) {
      if (!placed.has(s.id) && s.dependsOn.every((d) => placed.has(d))) {
        placed.add(s.id);
        grew = true;
      }
    }
  }
  return steps.filter((s) => !placed.has(s.id)).map((s) => s.id);
}

function memberErrors(step: JointStep, i: number, { registry, selfId, itemCode }: PlanCheckInput): FieldError[] {
  const path = `steps[${i}].member`;
  if (step.member === selfId) return [{ path, message: 'is this member: each step is handled by another member' }];
  const member = registry?.members.get(step.member);
  if (!member) return [{ path, message: `${step.member} is not a member of the registry` }];
  if (member.status !== 'active') return [{ path, message: `${step.member} is not active` }];
  if (!member.items?.some((it) => it.code === itemCode && it.modes.includes('joint'))) {
    return [{ path, message: `${step.member} does not handle ${itemCode} as joint (多地联办)` }];
  }
  return [];
}
