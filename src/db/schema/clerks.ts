import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Clerks of this member's windows; their bearer tokens are stored only as SHA-256 hashes. */
export const clerks = pgTable('clerks', {
  id: text().primaryKey(),
  name: text().notNull(),
  window: text().notNull(),
  /** intake | handling | supervisor */
  role: text().notNull(),
  tokenHash: text().notNull().unique(),
  createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  revokedAt: timestamp({ withTimezone: true, mode: 'date' }),
}, (t) => [index('clerks_window_idx').on(t.window)]);
