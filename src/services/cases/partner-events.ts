import type { PartnerState } from '../../../adapters/types';
import { EVENT_DATA, type EventType } from './events-schema';

type Mapping =
  | { emit: EventType; data?: Record<string, unknown> }
  /** Nothing to send over §7.2, and why. */
  | { emit: null; why: string };

/** What the handling gateway sends when its back office reports a state. */
export const EVENT_FOR_PARTNER_STATE: Record<PartnerState, Mapping> = {
  received: { emit: null, why: 'the §7.1 receipt already said so' },
  accepted: { emit: 'accepted' },
  rejected: { emit: 'rejected' },
  supplement_requested: { emit: 'supplement_requested' },
  approved: { emit: 'decided', data: { outcome: 'approved' } },
  denied: { emit: 'decided', data: { outcome: 'denied' } },
  result_issued: { emit: 'result_issued' },
  shipped: { emit: 'shipped' },
  delivered: { emit: 'delivered' },
  returned: { emit: 'returned' },
  // The intake member sends `withdrawn` (§7.2); the back office only confirms the withdrawal it was asked for.
  withdrawn: { emit: null, why: 'the intake member withdrew the case; the back office confirms it' },
  closed: { emit: 'closed' },
};

export type PartnerEventResult =
  | { ok: true; type: EventType; data?: Record<string, unknown> }
  | { ok: true; type: null; why: string }
  | { ok: false; reason: string };

/**
 * The §7.2 type and `data` for a back-office report: only the fields §7.2 defines for the type are kept
 * (from the adapter's `data`), and they must be valid.
 * @example eventForPartnerState('approved', { documentNo: '鲁审批〔2025〕12号' }) // decided, outcome approved
 */
export function eventForPartnerState(state: PartnerState, data: Record<string, unknown> = {}): PartnerEventResult {
  const mapping = EVENT_FOR_PARTNER_STATE[state];
  if (mapping.emit === null) return { ok: true, type: null, why: mapping.why };
  const schema = EVENT_DATA[mapping.emit];
  const shape = 'shape' in schema ? (schema.shape as Record<string, unknown>) : null;
  if (!shape) return { ok: true, type: mapping.emit, ...(Object.keys(data).length ? { data } : {}) };
  const picked = Object.fromEntries(Object.keys(shape).filter((k) => data[k] !== undefined).map((k) => [k, data[k]]));
  const parsed = schema.safeParse({ ...picked, ...mapping.data });
  if (!parsed.success) return { ok: false, reason: `${state}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'data'} ${i.message}`).join('; ')}` };
  return { ok: true, type: mapping.emit, data: parsed.data as Record<string, unknown> };
}
