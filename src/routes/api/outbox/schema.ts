import { z } from '@hono/zod-openapi';
import { OUTBOX_PAGE } from '../../../services/supervision/outbox';
import { pageQuery } from '../supervision/schema';

const STATUSES = ['pending', 'delivering', 'delivered', 'dead'] as const;

export const outboxQuery = z.object({ status: z.enum(STATUSES).optional(), ...pageQuery(OUTBOX_PAGE.max, OUTBOX_PAGE.default) }).strict();
export const outboxParams = z.object({ id: z.string().regex(/^ob_[A-Za-z0-9_-]{16}$/, 'must be an outbox message id such as ob_Jx3o9cV2bq1mT8aQ') });

export const outboxEntrySchema = z.object({
  id: z.string(),
  kind: z.string().openapi({ example: 'case_event' }),
  caseRef: z.string().nullable(),
  to: z.string().openapi({ description: 'the receiving member' }),
  status: z.enum(STATUSES),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable().openapi({ description: "the receiver's last HTTP status, null when it did not answer" }),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string(),
  deadAt: z.string().nullable(),
}).openapi('OutboxMessage', { description: 'A message of the outbox (§5), never its body' });

export const outboxListSchema = z.object({ messages: z.array(outboxEntrySchema), nextCursor: z.string().nullable() }).openapi('OutboxMessages');
