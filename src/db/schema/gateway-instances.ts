import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The gateway processes serving this database, each with the time it last said it was alive. A §5 claim
 * (idempotency_keys.claimed_by) of an instance that has stopped saying so was abandoned mid-request: the
 * next retry may take it over at once instead of after STALE_CLAIM_MS.
 */
export const gatewayInstances = pgTable('gateway_instances', {
  /** A fresh id per process start (`gw_...`), also the name of its evidence chain. */
  id: text().primaryKey(),
  startedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  seenAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
});
