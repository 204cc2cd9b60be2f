import { integer, pgTable, primaryKey, text, timestamp, index } from 'drizzle-orm/pg-core';
import { bytea } from './columns';

/** The first answer to each (iss, Idempotency-Key) of §5, kept at least 7 days. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  iss: text().notNull(),
  key: text().notNull(),
  method: text().notNull(),
  path: text().notNull(),
  bodyDigest: text().notNull(),
  /** null while the first request is still being worked on. */
  status: integer(),
  contentType: text(),
  responseBody: bytea(),
  /** When the claim was taken (or last taken over). */
  createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  /** The gateway instance working on it (gateway_instances.id); null where instances do not heartbeat (Workers). */
  claimedBy: text(),
  expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [primaryKey({ columns: [t.iss, t.key] }), index('idempotency_keys_expires_at_idx').on(t.expiresAt)]);
