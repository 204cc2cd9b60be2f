import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { meetingParticipants, meetings } from '../../db/schema/index';
import { AppError } from '../../lib/errors';
import type { ClerkIdentity } from '../clerks/schema';
import { findClerkCase } from '../cases/clerk-events';
import type { CaseRow } from '../cases/intake/types';
import type { MeetingRow, ParticipantRow } from './view';

export const MEETING_ID = /^mt_[A-Za-z0-9_-]{1,64}$/;

export interface ClerkMeeting {
  meeting: MeetingRow;
  kase: CaseRow;
  participants: ParticipantRow[];
}

/** The meeting `id` if the clerk may see its case (clerk-events.ts findClerkCase); else 404, as for the case. */
export async function findClerkMeeting(db: Db, id: string, clerk: ClerkIdentity): Promise<ClerkMeeting> {
  const [meeting] = MEETING_ID.test(id) ? await db.select().from(meetings).where(eq(meetings.id, id)) : [];
  const kase = meeting ? await findClerkCase(db, meeting.caseRef, clerk) : null;
  if (!meeting || !kase) throw new AppError('not_found', `no meeting ${id}`);
  return { meeting, kase, participants: await participantsOf(db, meeting.id) };
}

export const participantsOf = (db: Db, meetingId: string): Promise<ParticipantRow[]> =>
  db.select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, meetingId)).orderBy(asc(meetingParticipants.createdAt), asc(meetingParticipants.identity));

/** A clerk speaks for the case's side only in its own role (a supervisor watches; it does not run meetings). */
export function requireCaseClerk(clerk: ClerkIdentity, kase: CaseRow): void {
  if (clerk.role !== kase.role) throw new AppError('not_authorized', `meetings of ${kase.role} cases are run by ${kase.role} clerks; clerk ${clerk.id} is ${clerk.role}`);
}

export function requireOpen(meeting: MeetingRow): void {
  if (meeting.status !== 'open') throw new AppError('invalid_transition', `meeting ${meeting.id} is closed (${meeting.closeReason ?? 'closed'})`);
}

export function participantOf(found: ClerkMeeting, identity: string): ParticipantRow {
  const p = found.participants.find((x) => x.identity === identity);
  if (!p) throw new AppError('not_found', `meeting ${found.meeting.id} has no participant ${identity}`);
  return p;
}

export const participantKey = (meetingId: string, identity: string) =>
  and(eq(meetingParticipants.meetingId, meetingId), eq(meetingParticipants.identity, identity));
