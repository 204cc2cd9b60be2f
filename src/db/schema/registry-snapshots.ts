import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Registry snapshots that verified (§2); the newest is the last good one after a restart. */
export const registrySnapshots = pgTable('registry_snapshots', {
  seq: bigint({ mode: 'number' }).primaryKey(),
  token: text().notNull(),
  issuedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  acceptedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
});
