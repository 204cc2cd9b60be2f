import { bigserial, boolean, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './columns';

/**
 * The durable outbox (§5): a message is written in the same transaction as the change it announces,
 * then delivered by workers that claim it with FOR UPDATE SKIP LOCKED and a lease, signing every
 * attempt anew. It ends `delivered` or `dead`, never silently dropped.
 */
export const outboxMessages = pgTable('outbox_messages', {
  id: text().primaryKey(),
  /** Insertion order: the messages of one case to one member go out in it, one at a time. */
  seq: bigserial({ mode: 'number' }).notNull(),
  /** What the message is, e.g. `case_transfer`, `case_event`. */
  kind: text().notNull(),
  caseRef: text(),
  targetMember: text().notNull(),
  method: text().notNull(),
  path: text().notNull(),
  /** The exact bytes to send; the signature's `cdg` is computed over them at each attempt. */
  body: bytea().notNull(),
  /** The body holds personal data (a §7.1 transfer: ID number, phone): kept sealed with the data key until sent. */
  bodySealed: boolean().notNull().default(false),
  /** Kept across attempts (§5), so the receiver answers a retry with its first answer. */
  idempotencyKey: text().notNull(),
  /** pending | delivering | delivered | dead */
  status: text().notNull(),
  attempts: integer().notNull().default(0),
  nextAttemptAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  /** While delivering: until when the claim holds; past it, another worker may take the message over. */
  leaseUntil: timestamp({ withTimezone: true, mode: 'date' }),
  lastStatus: integer(),
  lastError: text(),
  /** The signed answer that ended it: for a transfer, the receipt. */
  responseStatus: integer(),
  responseToken: text(),
  responseBody: bytea(),
  createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  deliveredAt: timestamp({ withTimezone: true, mode: 'date' }),
  deadAt: timestamp({ withTimezone: true, mode: 'date' }),
}, (t) => [
  index('outbox_messages_due_idx').on(t.status, t.nextAttemptAt),
  index('outbox_messages_case_idx').on(t.caseRef, t.seq),
  index('outbox_messages_target_idx').on(t.targetMember, t.status),
]);
