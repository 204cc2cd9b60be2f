import { pgTable, primaryKey, text, timestamp, index } from 'drizzle-orm/pg-core';

/** Seen (iss, jti) pairs of §3.1 step 10, kept until exp + 30 s; shared by every instance. */
export const replayGuard = pgTable('replay_guard', {
  iss: text().notNull(),
  jti: text().notNull(),
  expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [primaryKey({ columns: [t.iss, t.jti] }), index('replay_guard_expires_at_idx').on(t.expiresAt)]);
