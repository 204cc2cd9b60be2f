import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique } from 'drizzle-orm/pg-core';

/**
 * A cloud meeting (云见面) this member started for one of its cases: one LiveKit room, created explicitly.
 * LiveKit objects are never stored as they are (they carry TURN credentials): only what we need.
 */
export const meetings = pgTable('meetings', {
  id: text().primaryKey(),
  caseRef: text().notNull(),
  /** The LiveKit room name (unique per meeting). */
  room: text().notNull().unique(),
  /** open | closed */
  status: text().notNull(),
  /** The clerk who started it. */
  createdBy: text().notNull(),
  /** The members taking part: this one and the case's other side. */
  members: jsonb().notNull(),
  maxDurationSeconds: integer().notNull(),
  startedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  /** When the room is warned that it will close, and when it is closed (the maximum duration). */
  warnAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  endsAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  warnedAt: timestamp({ withTimezone: true, mode: 'date' }),
  closedAt: timestamp({ withTimezone: true, mode: 'date' }),
  closeReason: text(),
  /** none | recording | done | failed */
  recordingStatus: text().notNull().default('none'),
  egressId: text(),
  /** The recording's result when it ended: {location, size, durationMs}. */
  recording: jsonb(),
  createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [index('meetings_case_idx').on(t.caseRef), index('meetings_open_idx').on(t.status, t.endsAt)]);

/** Who may join a meeting, one row per LiveKit identity; the applicant waits until a clerk admits them. */
export const meetingParticipants = pgTable('meeting_participants', {
  meetingId: text().notNull(),
  identity: text().notNull(),
  /** applicant | clerk | remote_clerk */
  role: text().notNull(),
  member: text().notNull(),
  displayName: text().notNull(),
  /** waiting | admitted | joined | left | removed */
  status: text().notNull(),
  /** Recording consent of this party, when given. */
  consentAt: timestamp({ withTimezone: true, mode: 'date' }),
  tokenIssuedAt: timestamp({ withTimezone: true, mode: 'date' }),
  createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [primaryKey({ columns: [t.meetingId, t.identity] })]);

/** A §7.3 invitation received from another member: shown to this member's clerks of the item until one joins. */
export const meetingInvitations = pgTable('meeting_invitations', {
  id: text().primaryKey(),
  fromMember: text().notNull(),
  /** The inviting member's meetingId (§7.3): unique per sender. */
  meetingId: text().notNull(),
  /** Our own ref of the case, when the invitation names one we hold. */
  caseRef: text(),
  itemCode: text(),
  url: text().notNull(),
  room: text().notNull(),
  /** The LiveKit token, sealed with the data key: it admits whoever holds it. */
  tokenSealed: text().notNull(),
  expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  invitee: jsonb().notNull(),
  /** pending | taken | expired */
  status: text().notNull(),
  takenBy: text(),
  takenAt: timestamp({ withTimezone: true, mode: 'date' }),
  createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [unique('meeting_invitations_uq').on(t.fromMember, t.meetingId), index('meeting_invitations_case_idx').on(t.caseRef)]);

/** LiveKit webhooks already applied, by their event id: a repeat is acknowledged and ignored. */
export const livekitWebhookEvents = pgTable('livekit_webhook_events', {
  eventId: text().primaryKey(),
  meetingId: text(),
  event: text().notNull(),
  createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  receivedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
});
