import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * A complaint or opinion (投诉/意见) received by this member from any channel the alliance names
 * (network 网络, window 实体窗口, hotline 热线电话, suggestion_box 意见箱(簿), mail 邮箱): received once,
 * classified, answered by `replyDueAt` (限时回复, working days), escalated one level each time a reply
 * period passes unanswered. The complainant's phone and the content are sealed.
 * state: open -> replied -> closed (escalationLevel > 0 while open means overdue and escalated).
 */
export const complaints = pgTable('complaints', {
  id: text().primaryKey(),
  channel: text().notNull(),
  /** attitude | efficiency | process | system | integrity | other */
  category: text().notNull(),
  subject: text().notNull(),
  contentSealed: text().notNull(),
  complainantName: text(),
  complainantPhoneSealed: text(),
  caseRef: text(),
  windowId: text(),
  state: text().notNull(),
  receivedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  replyDueAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  escalationLevel: integer().notNull().default(0),
  escalatedAt: timestamp({ withTimezone: true, mode: 'date' }),
  /** When the upkeep next escalates it if still unanswered; null once replied. */
  nextEscalationAt: timestamp({ withTimezone: true, mode: 'date' }),
  repliedAt: timestamp({ withTimezone: true, mode: 'date' }),
  replySealed: text(),
  closedAt: timestamp({ withTimezone: true, mode: 'date' }),
  createdBy: text().notNull(),
  createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [
  index('complaints_state_idx').on(t.state),
  index('complaints_escalation_idx').on(t.nextEscalationAt),
  index('complaints_received_idx').on(t.receivedAt),
]);

/** The history of a complaint: received, escalated (level), replied, closed; actor is a clerk id or `system`. */
export const complaintEvents = pgTable('complaint_events', {
  id: text().primaryKey(),
  complaintId: text().notNull(),
  type: text().notNull(),
  at: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  actor: text().notNull(),
  level: integer(),
}, (t) => [index('complaint_events_complaint_idx').on(t.complaintId, t.at)]);
