import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { meetingParticipants, meetings } from '../../db/schema/index';
import type { CaseCtx } from '../cases/case-ctx';
import { recordMeetingEvent } from './timeline';
import type { MeetingRow } from './view';

export type CloseReason = 'ended' | 'room_finished' | 'room_gone' | 'max_duration' | 'room_not_created';

export interface CloseInput {
  reason: CloseReason;
  actor: string;
  at: Date;
  /** `lk_<webhook id>` when LiveKit told us; a fresh id otherwise. */
  eventId: string;
}

/**
 * Closes an open meeting, once, whoever notices first (the clerk, the webhook, the reconciliation job):
 * the meeting row is closed only if it was open, and only then is `meeting_finished` written.
 */
export async function closeMeeting(tx: Db, ctx: Pick<CaseCtx, 'engine' | 'ids' | 'clock' | 'selfId'>, meetingId: string, c: CloseInput): Promise<MeetingRow | null> {
  const [row] = await tx.update(meetings).set({ status: 'closed', closedAt: c.at, closeReason: c.reason, updatedAt: c.at })
    .where(and(eq(meetings.id, meetingId), eq(meetings.status, 'open'))).returning();
  if (!row) return null;
  await tx.update(meetingParticipants).set({ status: 'left', updatedAt: c.at })
    .where(and(eq(meetingParticipants.meetingId, meetingId), eq(meetingParticipants.status, 'joined')));
  await recordMeetingEvent(tx, ctx, {
    caseRef: row.caseRef, type: 'meeting_finished', eventId: c.eventId, actor: c.actor, at: c.at,
    data: { meetingId: row.id, room: row.room, reason: c.reason, durationSeconds: Math.round((c.at.getTime() - row.startedAt.getTime()) / 1000) },
  });
  return row;
}
