import { index, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

/** A case's timeline: every §7.2 event applied to it, with who sent it and the status it led to. */
export const caseEvents = pgTable('case_events', {
  id: text().primaryKey(),
  caseRef: text().notNull(),
  /** The sender's `eventId`: the same one again is the same event (§7.2). */
  eventId: text().notNull(),
  type: text().notNull(),
  at: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  note: text(),
  data: jsonb(),
  /** intake | handling: the side that sent it. */
  side: text().notNull(),
  /** The member that sent it (or this member, for its own clerks' events). */
  sender: text().notNull(),
  /** Who did it, as far as this member knows: `clerk:<id>` of ours, `back-office:<member>`, or `member:<id>` for the other side. */
  actor: text(),
  /** hex SHA-256 of the event as received, to tell a repeat from a conflict. */
  contentHash: text().notNull(),
  statusAfter: text().notNull(),
  recordedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [unique('case_events_event_uq').on(t.caseRef, t.eventId), index('case_events_case_idx').on(t.caseRef, t.recordedAt)]);
