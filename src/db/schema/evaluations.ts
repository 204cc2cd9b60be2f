import { index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

/**
 * An applicant's evaluation (好差评) of a case at one stage, five levels (5 非常满意 ... 1 非常不满意).
 * `origin` is `local` when it was given to this member (at its window, or its channels), or the member id
 * that forwarded it by handshake/1 §7.4. One evaluation per case and stage. The comment is sealed: an
 * applicant writes what they like into it.
 */
export const evaluations = pgTable('evaluations', {
  id: text().primaryKey(),
  caseRef: text().notNull(),
  /** accepted (受理) | finished (办结) */
  stage: text().notNull(),
  score: integer().notNull(),
  /** window | pad | web | app | sms | hotline | qr, or what a peer sent */
  channel: text().notNull(),
  commentSealed: text(),
  origin: text().notNull(),
  /** The clerk who recorded it at our window; null when it came from a peer. */
  recordedBy: text(),
  at: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [
  unique('evaluations_case_stage_uq').on(t.caseRef, t.stage),
  index('evaluations_at_idx').on(t.at),
]);

/**
 * The follow-up of a 差评 (score 1 or 2) given to this member: call the applicant back by
 * `callbackDueAt`, remedy by `remedyDueAt` (working days, configurable), then close.
 * state: open -> called_back -> remedied -> closed.
 */
export const evaluationFollowups = pgTable('evaluation_followups', {
  evaluationId: text().primaryKey(),
  state: text().notNull(),
  callbackDueAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  remedyDueAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  calledBackAt: timestamp({ withTimezone: true, mode: 'date' }),
  calledBackBy: text(),
  callbackNote: text(),
  remediedAt: timestamp({ withTimezone: true, mode: 'date' }),
  remediedBy: text(),
  remedyNote: text(),
  closedAt: timestamp({ withTimezone: true, mode: 'date' }),
  closedBy: text(),
  updatedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [index('evaluation_followups_state_idx').on(t.state)]);
