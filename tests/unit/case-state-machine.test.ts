import { describe, expect, it } from 'vitest';
import { PARTNER_STATES } from '../../adapters/types';
import { caseEventSchema, EVENT_TYPES, type EventType, type Side } from '../../src/services/cases/events-schema';
import { jointProgress, planJointSteps, stepStateOf, type JointPlan, type JointStep } from '../../src/services/cases/joint-plan';
import { eventForPartnerState } from '../../src/services/cases/partner-events';
import {
  applyEvent, allowedEvents, CASE_STATUSES, initialCaseState, senderOf, TRANSITIONS,
  type CaseState, type CaseStatus, type Transition, type TransitionInput,
} from '../../src/services/cases/state-machine';

const AT = '2025-03-03T09:00:00+08:00';
const DATA: Partial<Record<EventType, unknown>> = {
  supplement_requested: { items: [{ requirement: 'id-card', name: '身份证复印件', reason: '不清晰' }], deadline: '2025-03-10T17:00:00+08:00' },
  supplement_provided: { materials: [{ requirement: 'id-card', name: '身份证复印件', mediaType: 'application/pdf', size: 3, sha256: 'a'.repeat(64), content: 'YWJj' }] },
  decided: { outcome: 'approved', documentNo: '鲁审批〔2025〕12号' },
  shipped: { carrier: 'EMS', trackingNo: '1100000000000' },
  returned: { reason: '非本机关管辖' },
};
let seq = 0;
/** A §7.2 event through the wire schema, or a local step as is. */
function ev(type: Transition, data?: unknown): TransitionInput {
  if (type === 'transfer_sent' || type === 'transfer_received' || type === 'evaluated') return { type };
  const d = data ?? DATA[type];
  return caseEventSchema.parse({ eventId: `ev-${++seq}`, type, at: AT, ...(d === undefined ? {} : { data: d }) });
}
const state = (status: CaseStatus, extra: Partial<CaseState> = {}): CaseState => ({ status, received: true, accepted: false, supplementRequested: false, ...extra });

// The whole table, written out: the module's table must say exactly this.
const EXPECTED: [CaseStatus, Transition, CaseStatus][] = [
  ['intake', 'transfer_sent', 'transferring'], ['intake', 'withdrawn', 'withdrawn'],
  ['transferring', 'transfer_received', 'received'], ['transferring', 'withdrawn', 'withdrawn'],
  ['received', 'accepted', 'accepted'], ['received', 'rejected', 'rejected'], ['received', 'supplement_requested', 'supplement_requested'],
  ['received', 'returned', 'returned'], ['received', 'withdrawn', 'withdrawn'],
  ['supplement_requested', 'supplement_provided', 'under_review'], ['supplement_requested', 'rejected', 'rejected'],
  ['supplement_requested', 'returned', 'returned'], ['supplement_requested', 'decided', 'decided'], ['supplement_requested', 'withdrawn', 'withdrawn'],
  ['accepted', 'supplement_requested', 'supplement_requested'], ['accepted', 'decided', 'decided'], ['accepted', 'withdrawn', 'withdrawn'],
  ['under_review', 'accepted', 'accepted'], ['under_review', 'rejected', 'rejected'], ['under_review', 'returned', 'returned'],
  ['under_review', 'decided', 'decided'], ['under_review', 'withdrawn', 'withdrawn'],
  ['decided', 'result_issued', 'result_issued'],
  ['result_issued', 'shipped', 'shipped'], ['result_issued', 'delivered', 'delivered'],
  ['shipped', 'delivered', 'delivered'],
  ['delivered', 'evaluated', 'evaluated'], ['delivered', 'closed', 'archived'],
  ['evaluated', 'closed', 'archived'], ['rejected', 'closed', 'archived'], ['withdrawn', 'closed', 'archived'], ['returned', 'closed', 'archived'],
];

/** A case in `status` whose history lets `type` through the guards. */
function fitting(status: CaseStatus, type: Transition): CaseState {
  const acceptedBefore = type === 'decided' || status === 'accepted';
  return state(status, { accepted: acceptedBefore, supplementRequested: status === 'supplement_requested' || status === 'under_review', received: status !== 'intake' && status !== 'transferring' });
}

describe('case states', () => {
  it('name every status in English with its Chinese term', () => {
    expect(Object.keys(CASE_STATUSES)).toHaveLength(15);
    expect(CASE_STATUSES).toMatchObject({ intake: '收件', transferring: '转办', received: '签收', accepted: '受理', rejected: '不予受理', supplement_requested: '补正', under_review: '审查', decided: '办结', result_issued: '出证', archived: '归档', withdrawn: '撤回', returned: '退件' });
  });

  it('start at the intake window on the intake side and at the receipt on the handling side', () => {
    expect(initialCaseState('intake', 'window')).toEqual({ status: 'intake', delivery: 'window', received: false, accepted: false, supplementRequested: false });
    expect(initialCaseState('handling')).toMatchObject({ status: 'received', received: true });
  });
});

describe('applyEvent: the transition table', () => {
  it('holds exactly the expected transitions', () => {
    const actual = Object.entries(TRANSITIONS).flatMap(([from, row]) => Object.entries(row).map(([t, to]) => [from, t, to]));
    expect(actual.sort()).toEqual([...EXPECTED].sort());
  });

  it.each(EXPECTED)('%s --%s--> %s, sent by its side', (from, type, to) => {
    const before = fitting(from, type);
    const side = senderOf(type, before)[0]!;
    const r = applyEvent(before, ev(type), side);
    expect(r).toMatchObject({ ok: true, state: { status: to }, clock: to === 'supplement_requested' ? 'paused' : 'running' });
  });

  it.each([
    ['intake', 'accepted'], ['transferring', 'decided'], ['received', 'decided'], ['received', 'supplement_provided'],
    ['accepted', 'rejected'], ['decided', 'shipped'], ['shipped', 'result_issued'], ['delivered', 'returned'],
    ['archived', 'closed'], ['archived', 'withdrawn'], ['rejected', 'accepted'], ['evaluated', 'evaluated'],
  ] as [CaseStatus, Transition][])('refuses %s --%s--> with invalid_transition', (from, type) => {
    const before = state(from, { accepted: true });
    const r = applyEvent(before, ev(type), senderOf(type, before)[0]!);
    expect(r).toMatchObject({ ok: false, code: 'invalid_transition' });
  });

  it('refuses a type from the wrong side with not_authorized, before looking at the state', () => {
    const cases: [CaseStatus, Transition, Side][] = [
      ['received', 'accepted', 'intake'], ['supplement_requested', 'supplement_provided', 'handling'], ['accepted', 'withdrawn', 'handling'],
      ['accepted', 'decided', 'intake'], ['shipped', 'delivered', 'handling'], ['intake', 'transfer_sent', 'handling'],
      ['archived', 'accepted', 'intake'], // wrong side and wrong state: 403 comes first (§7)
    ];
    for (const [from, type, side] of cases) {
      expect(applyEvent(state(from, { delivery: 'window', accepted: from === 'accepted' }), ev(type), side), `${from} ${type} by ${side}`).toMatchObject({ ok: false, code: 'not_authorized' });
    }
  });

  it('has the intake member report delivery at its window, the handling member a posted or electronic one', () => {
    const byWindow = state('shipped', { delivery: 'window', accepted: true });
    expect(applyEvent(byWindow, ev('delivered'), 'intake')).toMatchObject({ ok: true, state: { status: 'delivered' } });
    expect(applyEvent(byWindow, ev('delivered'), 'handling')).toMatchObject({ ok: false, code: 'not_authorized' });
    const byPost = state('shipped', { delivery: 'post', accepted: true });
    expect(applyEvent(byPost, ev('delivered'), 'handling')).toMatchObject({ ok: true });
    expect(applyEvent(byPost, ev('delivered'), 'intake')).toMatchObject({ ok: false, code: 'not_authorized' });
  });

  it('refuses a withdrawal once the case is decided', () => {
    for (const status of ['decided', 'result_issued', 'shipped', 'delivered', 'archived'] as const) {
      expect(applyEvent(state(status, { accepted: true, outcome: 'approved' }), ev('withdrawn'), 'intake')).toMatchObject({ ok: false, code: 'invalid_transition' });
    }
    expect(applyEvent(state('accepted', { accepted: true }), ev('withdrawn'), 'intake')).toMatchObject({ ok: true, state: { status: 'withdrawn' } });
  });

  it('pauses the clock for one supplement request and refuses a second', () => {
    let s = initialCaseState('handling');
    const step = (t: Transition, side: Side) => {
      const r = applyEvent(s, ev(t), side);
      if (!r.ok) throw new Error(r.reason);
      s = r.state;
      return r.clock;
    };
    expect(step('supplement_requested', 'handling')).toBe('paused');
    expect(step('supplement_provided', 'intake')).toBe('running');
    expect(s.status).toBe('under_review');
    expect(step('accepted', 'handling')).toBe('running');
    const again = applyEvent(s, ev('supplement_requested'), 'handling');
    expect(again).toMatchObject({ ok: false, code: 'invalid_transition' });
    expect(again.ok || again.reason).toMatch(/once/);
    expect(allowedEvents(s)).toEqual(['decided', 'withdrawn']);
  });

  it('keeps accepted and rejected for cases not yet accepted, and decided for accepted ones', () => {
    expect(applyEvent(state('under_review', { accepted: true }), ev('rejected'), 'handling')).toMatchObject({ ok: false, code: 'invalid_transition' });
    expect(applyEvent(state('under_review', { accepted: true }), ev('accepted'), 'handling')).toMatchObject({ ok: false, code: 'invalid_transition' });
    expect(applyEvent(state('under_review'), ev('decided'), 'handling')).toMatchObject({ ok: false, code: 'invalid_transition' });
    expect(applyEvent(state('supplement_requested'), ev('decided'), 'handling')).toMatchObject({ ok: false, code: 'invalid_transition' });
  });

  it('lets the intake member alone close a case withdrawn before the handling member had it', () => {
    const s = state('withdrawn', { received: false });
    expect(applyEvent(s, ev('closed'), 'intake')).toMatchObject({ ok: true, state: { status: 'archived' } });
    expect(applyEvent(s, ev('closed'), 'handling')).toMatchObject({ ok: false, code: 'not_authorized' });
    expect(applyEvent(state('withdrawn'), ev('closed'), 'intake')).toMatchObject({ ok: false, code: 'not_authorized' });
  });

  it('walks a proxy-intake case (异地代收代办) from the window to the archive on both sides', () => {
    const path: [Transition, Side, CaseStatus, 'running' | 'paused'][] = [
      ['transfer_sent', 'intake', 'transferring', 'running'],
      ['transfer_received', 'handling', 'received', 'running'],
      ['supplement_requested', 'handling', 'supplement_requested', 'paused'],
      ['supplement_provided', 'intake', 'under_review', 'running'],
      ['accepted', 'handling', 'accepted', 'running'],
      ['decided', 'handling', 'decided', 'running'],
      ['result_issued', 'handling', 'result_issued', 'running'],
      ['shipped', 'handling', 'shipped', 'running'],
      ['delivered', 'intake', 'delivered', 'running'],
      ['evaluated', 'intake', 'evaluated', 'running'],
      ['closed', 'handling', 'archived', 'running'],
    ];
    let intake = initialCaseState('intake', 'window');
    let handling: CaseState | undefined;
    for (const [type, side, status, clock] of path) {
      const r = applyEvent(intake, ev(type), side);
      expect(r, `${type} at the intake side`).toMatchObject({ ok: true, state: { status }, clock });
      if (r.ok) intake = r.state;
      if (type === 'transfer_sent') continue;
      handling ??= initialCaseState('handling', 'window');
      if (type === 'transfer_received') continue;
      const h = applyEvent(handling, ev(type), side);
      expect(h, `${type} at the handling side`).toMatchObject({ ok: true, state: { status }, clock });
      if (h.ok) handling = h.state;
    }
    expect(intake).toEqual({ status: 'archived', delivery: 'window', received: true, accepted: true, supplementRequested: true, outcome: 'approved' });
    expect(handling).toEqual(intake);
    expect(allowedEvents(intake)).toEqual([]);
  });
});

describe('§7.2 event bodies', () => {
  it('take each type with its data', () => {
    for (const type of EVENT_TYPES) expect(() => ev(type), type).not.toThrow();
    expect(caseEventSchema.parse({ eventId: 'e1', type: 'accepted', at: AT, note: '材料齐全' })).toEqual({ eventId: 'e1', type: 'accepted', at: AT, note: '材料齐全' });
  });

  it.each([
    ['decided without data', { type: 'decided' }],
    ['an outcome outside approved|denied', { type: 'decided', data: { outcome: 'granted' } }],
    ['shipped without a tracking number', { type: 'shipped', data: { carrier: 'EMS' } }],
    ['a supplement request with no items', { type: 'supplement_requested', data: { items: [], deadline: AT } }],
    ['a deadline without an offset', { type: 'supplement_requested', data: { items: [{ name: 'x' }], deadline: '2025-03-10T17:00:00' } }],
    ['returned without a reason', { type: 'returned' }],
    ['an unknown type', { type: 'approved' }],
    ['an unknown field', { type: 'accepted', extra: 1 }],
  ])('refuse %s', (_, body) => {
    expect(caseEventSchema.safeParse({ eventId: 'e1', at: AT, ...body }).success).toBe(false);
  });
});

describe('back-office states to §7.2 events', () => {
  it('map approved and denied to decided with the outcome, keeping only §7.2 fields', () => {
    expect(eventForPartnerState('approved', { documentNo: 'D-1', internal: 'x' })).toEqual({ ok: true, type: 'decided', data: { outcome: 'approved', documentNo: 'D-1' } });
    expect(eventForPartnerState('denied')).toEqual({ ok: true, type: 'decided', data: { outcome: 'denied' } });
    expect(eventForPartnerState('shipped', { carrier: 'EMS', trackingNo: '1' })).toEqual({ ok: true, type: 'shipped', data: { carrier: 'EMS', trackingNo: '1' } });
  });

  it('send nothing for received and withdrawn, and refuse data §7.2 needs but lacks', () => {
    expect(eventForPartnerState('received')).toMatchObject({ ok: true, type: null });
    expect(eventForPartnerState('withdrawn')).toMatchObject({ ok: true, type: null });
    expect(eventForPartnerState('shipped', { carrier: 'EMS' })).toMatchObject({ ok: false });
    expect(eventForPartnerState('returned')).toMatchObject({ ok: false });
  });

  it('give for every partner state an event the §7.2 schema takes', () => {
    const sample: Record<string, Record<string, unknown>> = { supplement_requested: DATA.supplement_requested as Record<string, unknown>, shipped: DATA.shipped as Record<string, unknown>, returned: { reason: 'r' } };
    for (const ps of PARTNER_STATES) {
      const r = eventForPartnerState(ps, sample[ps]);
      expect(r.ok, ps).toBe(true);
      if (r.ok && r.type) expect(caseEventSchema.safeParse({ eventId: 'e', at: AT, type: r.type, ...(r.data ? { data: r.data } : {}) }).success, ps).toBe(true);
    }
  });
});

describe('joint handling (多地联办): planJointSteps', () => {
  const plan = (steps: JointStep[]): JointPlan => {
    const r = planJointSteps(steps);
    if (!r.ok) throw new Error(r.reason);
    return r.plan;
  };
  // 户口迁移: the destination issues the 准迁证, then the origin completes the move.
  const hukou = [{ id: 'move-out', member: 'origin', dependsOn: ['permit'] }, { id: 'permit', member: 'destination', dependsOn: [] }];

  it('orders a step after the step it depends on', () => {
    const p = plan(hukou);
    expect(p.order).toEqual(['permit', 'move-out']);
    expect(jointProgress(p, {})).toEqual({ ready: ['permit'], blocked: [], done: false, failed: false });
    expect(jointProgress(p, { permit: 'running' }).ready).toEqual([]);
    expect(jointProgress(p, { permit: 'done' }).ready).toEqual(['move-out']);
    expect(jointProgress(p, { permit: 'done', 'move-out': 'done' }).done).toBe(true);
  });

  it('runs independent steps in parallel and joins them', () => {
    const p = plan([
      { id: 'a', member: 'm1', dependsOn: [] }, { id: 'b', member: 'm2', dependsOn: [] },
      { id: 'c', member: 'm3', dependsOn: ['a', 'b'] }, { id: 'd', member: 'm1', dependsOn: ['c'] },
    ]);
    expect(p.layers).toEqual([['a', 'b'], ['c'], ['d']]);
    expect(jointProgress(p, {}).ready).toEqual(['a', 'b']);
    expect(jointProgress(p, { a: 'done' }).ready).toEqual(['b']);
    expect(jointProgress(p, { a: 'done', b: 'done' }).ready).toEqual(['c']);
  });

  it('blocks every dependant of a failed step, and only those', () => {
    const p = plan([
      { id: 'a', member: 'm1', dependsOn: [] }, { id: 'b', member: 'm2', dependsOn: ['a'] },
      { id: 'c', member: 'm3', dependsOn: ['b'] }, { id: 'x', member: 'm4', dependsOn: [] },
    ]);
    expect(jointProgress(p, { a: 'failed' })).toEqual({ ready: ['x'], blocked: ['b', 'c'], done: false, failed: true });
    expect(jointProgress(plan(hukou), { permit: 'failed' }).blocked).toEqual(['move-out']);
  });

  it('refuses a cycle, an unknown dependency and a repeated id', () => {
    expect(planJointSteps([{ id: 'a', member: 'm', dependsOn: ['b'] }, { id: 'b', member: 'm', dependsOn: ['a'] }, { id: 'c', member: 'm', dependsOn: [] }])).toMatchObject({ ok: false, code: 'cycle', reason: expect.stringContaining('a, b') });
    expect(planJointSteps([{ id: 'a', member: 'm', dependsOn: ['a'] }])).toMatchObject({ ok: false, code: 'cycle' });
    expect(planJointSteps([{ id: 'a', member: 'm', dependsOn: ['zz'] }])).toMatchObject({ ok: false, code: 'unknown_dependency' });
    expect(planJointSteps([{ id: 'a', member: 'm', dependsOn: [] }, { id: 'a', member: 'n', dependsOn: [] }])).toMatchObject({ ok: false, code: 'duplicate_step' });
  });

  it('reads a step\'s state from its case', () => {
    expect(stepStateOf(undefined)).toBe('pending');
    expect(stepStateOf(state('accepted', { accepted: true }))).toBe('running');
    expect(stepStateOf(state('decided', { accepted: true, outcome: 'approved' }))).toBe('done');
    expect(stepStateOf(state('decided', { accepted: true, outcome: 'denied' }))).toBe('failed');
    expect(stepStateOf(state('archived'))).toBe('failed');
    expect(stepStateOf(state('returned'))).toBe('failed');
  });
});
