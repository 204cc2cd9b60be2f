import type { HOPS } from '../partners/schema';
import { EVENT_SENDERS, type CaseEvent, type DecisionOutcome, type EventType, type LocalStep, type Side } from './events-schema';

/** A case's status, the same words on both sides; the Chinese is the term clerks use. */
export const CASE_STATUSES = {
  intake: '收件', // at the intake window: identity check, 形式审查
  transferring: '转办', // the §7.1 transfer is on its way
  received: '签收', // the handling member has it (the §7.1 receipt)
  accepted: '受理',
  rejected: '不予受理',
  supplement_requested: '补正', // waiting for the applicant: the clock is paused
  under_review: '审查', // supplements arrived, examined again
  decided: '办结', // approved or denied
  result_issued: '出证',
  shipped: '送达', // on its way by post or to the intake window
  delivered: '送达签收', // in the applicant's hands
  evaluated: '评价',
  archived: '归档',
  withdrawn: '撤回',
  returned: '退件',
} as const;
export type CaseStatus = keyof typeof CASE_STATUSES;
export type Transition = EventType | LocalStep;

/** What the table reads: the status and the few facts of the case's history the status alone cannot tell. */
export interface CaseState {
  status: CaseStatus;
  /** §7.1 `delivery.method`: who reports the delivery depends on it. */
  delivery?: 'window' | 'post' | 'electronic';
  /** The handling member has the case (a receipt came back). */
  received: boolean;
  accepted: boolean;
  /** A request for supplements was made: 行政许可法 art. 32 allows one (一次性告知). */
  supplementRequested: boolean;
  outcome?: DecisionOutcome;
}

/**
 * status -> event -> next status. What is not here answers 409 `invalid_transition`; GUARDS refine it by the
 * case's history: supplements asked for before acceptance lead to `accepted` | `rejected` | `returned` once
 * they arrive, supplements asked for after it to `decided` (also when they never come: the authority decides).
 */
export const TRANSITIONS: Record<CaseStatus, Partial<Record<Transition, CaseStatus>>> = {
  intake: { transfer_sent: 'transferring', withdrawn: 'withdrawn' },
  transferring: { transfer_received: 'received', withdrawn: 'withdrawn' },
  received: { accepted: 'accepted', rejected: 'rejected', supplement_requested: 'supplement_requested', returned: 'returned', withdrawn: 'withdrawn' },
  supplement_requested: { supplement_provided: 'under_review', rejected: 'rejected', returned: 'returned', decided: 'decided', withdrawn: 'withdrawn' },
  accepted: { supplement_requested: 'supplement_requested', decided: 'decided', withdrawn: 'withdrawn' },
  under_review: { accepted: 'accepted', rejected: 'rejected', returned: 'returned', decided: 'decided', withdrawn: 'withdrawn' },
  decided: { result_issued: 'result_issued' },
  result_issued: { shipped: 'shipped', delivered: 'delivered' },
  shipped: { delivered: 'delivered' },
  delivered: { evaluated: 'evaluated', closed: 'archived' },
  evaluated: { closed: 'archived' },
  rejected: { closed: 'archived' },
  withdrawn: { closed: 'archived' },
  returned: { closed: 'archived' },
  archived: {},
};

/** Rules the table cannot say: each returns why the event is refused, or null. */
const GUARDS: Partial<Record<Transition, (s: CaseState) => string | null>> = {
  supplement_requested: (s) => (s.supplementRequested ? 'supplements were already requested once (一次性告知, 行政许可法 art. 32)' : null),
  accepted: (s) => (s.accepted ? 'the case was already accepted' : null),
  rejected: (s) => (s.accepted ? 'an accepted case is decided, not rejected' : null),
  returned: (s) => (s.accepted ? 'an accepted case is decided, not returned' : null),
  decided: (s) => (s.accepted ? null : 'the case was not accepted'),
};

/** Which hop of the agreement's `slaHours` runs while the case is in a status. */
export const HOP_BY_STATUS: Partial<Record<CaseStatus, (typeof HOPS)[number]>> = {
  transferring: 'transfer',
  received: 'accept',
  supplement_requested: 'supplement',
  accepted: 'decide',
  under_review: 'decide',
  decided: 'ship',
  result_issued: 'ship',
  shipped: 'deliver',
};

export type ApplyResult =
  | { ok: true; state: CaseState; clock: 'running' | 'paused' }
  | { ok: false; code: 'invalid_transition' | 'not_authorized'; reason: string };

export type TransitionInput = CaseEvent | { type: LocalStep };

/** A new case as each side first holds it: the intake member at its window, the handling member on receipt. */
export function initialCaseState(side: Side, delivery?: CaseState['delivery']): CaseState {
  const received = side === 'handling';
  return { status: received ? 'received' : 'intake', ...(delivery ? { delivery } : {}), received, accepted: false, supplementRequested: false };
}

/**
 * Who may send a type for this case. A result posted or issued electronically never passes the intake
 * window, so the handling member reports its delivery; a case withdrawn before the handling member had it
 * is closed by the intake member alone.
 */
export function senderOf(type: Transition, state: CaseState): readonly Side[] {
  if (type === 'delivered' && (state.delivery === 'post' || state.delivery === 'electronic')) return ['handling'];
  if (type === 'closed' && !state.received) return ['intake'];
  return EVENT_SENDERS[type];
}

/** The events the case's status allows now, whoever sends them. */
export function allowedEvents(state: CaseState): Transition[] {
  return (Object.keys(TRANSITIONS[state.status]) as Transition[]).filter((t) => !GUARDS[t]?.(state));
}

export const clockOf = (status: CaseStatus): 'running' | 'paused' => (status === 'supplement_requested' ? 'paused' : 'running');

/** Applies one event sent by `side`, in §7's order: the sender's right first (403), then the case's state (409). */
export function applyEvent(state: CaseState, event: TransitionInput, side: Side): ApplyResult {
  const senders = senderOf(event.type, state);
  if (!senders.includes(side)) return { ok: false, code: 'not_authorized', reason: `${event.type} is sent by the ${senders.join(' or ')} member` };
  const next = TRANSITIONS[state.status][event.type];
  if (!next) return { ok: false, code: 'invalid_transition', reason: `${event.type} is not allowed when the case is ${state.status} (${CASE_STATUSES[state.status]})` };
  const refused = GUARDS[event.type]?.(state);
  if (refused) return { ok: false, code: 'invalid_transition', reason: refused };
  const after: CaseState = { ...state, status: next };
  if (event.type === 'transfer_received') after.received = true;
  if (event.type === 'accepted') after.accepted = true;
  if (event.type === 'supplement_requested') after.supplementRequested = true;
  if (event.type === 'decided') after.outcome = event.data.outcome;
  return { ok: true, state: after, clock: clockOf(next) };
}
