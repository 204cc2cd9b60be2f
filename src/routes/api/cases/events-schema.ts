import { z } from '@hono/zod-openapi';
import { CASE_REF } from '../../../services/cases/case-events';
import { EVENT_DATA, EVENT_TYPES, SIDES, type EventType } from '../../../services/cases/events-schema';
import { CASE_STATUSES } from '../../../services/cases/state-machine';

// No `.openapi()` on the schemas of services/cases (EVENT_DATA): zod 4 copies methods onto a schema when it
// is made, so one made before @hono/zod-openapi was first imported has none. Only schemas made here get it.
const note = z.string().trim().min(1).max(1000).optional();
const event = <T extends EventType>(type: T) => z.object({ type: z.literal(type), note, data: EVENT_DATA[type] }).strict();

/** A clerk's §7.2 event: `{type, note?, data?}`; the gateway makes `eventId` and `at`. */
export const clerkEventSchema = z.discriminatedUnion('type', [
  event('accepted'), event('rejected'), event('supplement_requested'), event('supplement_provided'),
  event('decided'), event('result_issued'), event('shipped'), event('delivered'), event('withdrawn'),
  event('returned'), event('closed'),
]).openapi('ClerkCaseEvent', { description: 'A handshake/1 §7.2 event without `eventId` and `at`, which the gateway makes' });

export const caseParams = z.object({ ref: z.string().regex(CASE_REF, 'must be a case ref such as cs_Jx3o9cV2bq1mT8aQ') });

const status = z.enum(Object.keys(CASE_STATUSES) as [keyof typeof CASE_STATUSES, ...(keyof typeof CASE_STATUSES)[]]);

export const clerkEventAnswerSchema = z.object({
  eventId: z.string().openapi({ example: 'ev_Jx3o9cV2bq1mT8aQ' }),
  status,
  messageId: z.string().openapi({ example: 'ob_Jx3o9cV2bq1mT8aQ', description: 'the outbox message that carries the event to the other side' }),
}).openapi('ClerkEventAnswer');

export const timelineSchema = z.object({
  caseRef: z.string(),
  role: z.enum(SIDES),
  status,
  timeline: z.array(z.object({
    eventId: z.string(),
    type: z.string().openapi({ description: `a §7.2 type (${EVENT_TYPES.join(', ')}) or a local step of this member (e.g. joint_step_failed)` }),
    at: z.string(),
    side: z.enum(SIDES),
    sender: z.string().openapi({ description: 'the member that sent it' }),
    actor: z.string().optional().openapi({ description: 'who did it, as far as this member knows: `clerk:<id>`, `back-office:<member>`, `member:<id>`' }),
    status,
    note: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })),
  evidence: z.array(z.object({
    seq: z.number().int(), at: z.string(), kind: z.string(), peer: z.string(), method: z.string(), path: z.string(),
    hash: z.string().openapi({ description: 'the record\'s hash in the evidence chain' }),
  })).openapi({ description: 'the signed messages of this case in the evidence log (`handshake audit export --case REF` bundles them)' }),
}).openapi('CaseTimeline', { description: "A case's §7.2 events, both sides', in the order they were recorded" });
