import { z } from 'zod';
import { transferMaterialSchema } from './transfer-schema';

/** The event types of handshake/1 §7.2, in the order of a case's life. */
export const EVENT_TYPES = [
  'accepted', 'rejected', 'supplement_requested', 'supplement_provided', 'decided', 'result_issued',
  'shipped', 'delivered', 'withdrawn', 'returned', 'closed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Steps of a case's life that are not §7.2 events but move it all the same: the §7.1 transfer leaving the
 * intake member, its receipt (202) from the handling member, and an applicant's evaluation (§7.4).
 */
export const LOCAL_STEPS = ['transfer_sent', 'transfer_received', 'evaluated'] as const;
export type LocalStep = (typeof LOCAL_STEPS)[number];

export const SIDES = ['intake', 'handling'] as const;
export type Side = (typeof SIDES)[number];

/**
 * Who may send each type (§7.2): the intake member sends `supplement_provided`, `withdrawn` and
 * `delivered`; the handling member every other type. `delivered` and `closed` have exceptions that depend on
 * the case (see `senderOf` in state-machine.ts).
 */
export const EVENT_SENDERS: Record<EventType | LocalStep, readonly Side[]> = {
  accepted: ['handling'],
  rejected: ['handling'],
  supplement_requested: ['handling'],
  supplement_provided: ['intake'],
  decided: ['handling'],
  result_issued: ['handling'],
  shipped: ['handling'],
  delivered: ['intake'],
  withdrawn: ['intake'],
  returned: ['handling'],
  closed: ['handling'],
  transfer_sent: ['intake'],
  transfer_received: ['handling'],
  // §7.4 evaluations reach either gateway, depending on where the applicant gave them.
  evaluated: ['intake', 'handling'],
};

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true });
/** Free-form details for the types §7.2 gives no fields for. */
const extra = z.record(z.string(), z.unknown());

/** One material the applicant must supplement: the catalog material id where there is one, and why. */
export const supplementItemSchema = z.object({
  requirement: text(64).optional(),
  name: text(200),
  reason: text(500).optional(),
}).strict();

/** `data` of each type; `data` is required where §7.2 names fields, optional and free-form elsewhere. */
export const EVENT_DATA = {
  accepted: extra.optional(),
  rejected: extra.optional(),
  supplement_requested: z.object({ items: z.array(supplementItemSchema).min(1).max(100), deadline: instant }).strict(),
  supplement_provided: z.object({ materials: z.array(transferMaterialSchema).min(1).max(100) }).strict(),
  decided: z.object({ outcome: z.enum(['approved', 'denied']), documentNo: text(100).optional() }).strict(),
  result_issued: extra.optional(),
  shipped: z.object({ carrier: text(100), trackingNo: text(100) }).strict(),
  delivered: extra.optional(),
  withdrawn: extra.optional(),
  returned: z.object({ reason: text(500) }).strict(),
  closed: extra.optional(),
} as const satisfies Record<EventType, z.ZodType>;

const base = { eventId: text(128), at: instant, note: text(1000).optional() };
const event = <T extends EventType>(type: T) => z.object({ ...base, type: z.literal(type), data: EVENT_DATA[type] }).strict();

/** A §7.2 event body: `{eventId, type, at, note?, data?}`. */
export const caseEventSchema = z.discriminatedUnion('type', [
  event('accepted'), event('rejected'), event('supplement_requested'), event('supplement_provided'),
  event('decided'), event('result_issued'), event('shipped'), event('delivered'), event('withdrawn'),
  event('returned'), event('closed'),
]);

export type CaseEvent = z.infer<typeof caseEventSchema>;
export type DecisionOutcome = z.infer<(typeof EVENT_DATA)['decided']>['outcome'];
