import { and, eq } from 'drizzle-orm';
import { meetings } from '../../db/schema/index';
import { AppError } from '../../lib/errors';
import type { ClerkIdentity } from '../clerks/schema';
import type { MeetingCtx } from './meeting-ctx';
import { findClerkMeeting, participantsOf, requireCaseClerk, requireOpen } from './store';
import { toMeetingView, type MeetingView } from './view';

/**
 * Records the meeting, once: only with the recorded consent of every party still in it (409 naming who
 * has not consented), and never a second time (409). The claim on the meeting row comes before the
 * egress, so two clerks pressing at once start one recording.
 */
export async function startRecording({ ctx, input }: { ctx: MeetingCtx; input: { clerk: ClerkIdentity; meetingId: string } }): Promise<MeetingView> {
  const found = await findClerkMeeting(ctx.db, input.meetingId, input.clerk);
  requireCaseClerk(input.clerk, found.kase);
  const { meeting } = found;
  requireOpen(meeting);
  if (meeting.recordingStatus !== 'none') throw new AppError('invalid_transition', `meeting ${meeting.id} was already recorded (${meeting.recordingStatus}); a recording starts once`);
  const missing = found.participants.filter((p) => p.status !== 'removed' && !p.consentAt).map((p) => p.identity);
  if (missing.length) throw new AppError('invalid_transition', `recording needs the consent of every party; not yet: ${missing.join(', ')}`);

  const now = new Date(ctx.clock.now());
  const claimed = await ctx.db.update(meetings).set({ recordingStatus: 'recording', updatedAt: now })
    .where(and(eq(meetings.id, meeting.id), eq(meetings.recordingStatus, 'none'), eq(meetings.status, 'open'))).returning({ id: meetings.id });
  if (!claimed.length) throw new AppError('invalid_transition', `meeting ${meeting.id} is already being recorded`);
  let egressId: string;
  try {
    ({ egressId } = await ctx.rooms.startRoomCompositeEgress(meeting.room, `meetings/${meeting.caseRef}/${meeting.id}.mp4`));
  } catch (e) {
    // Nothing was started: the meeting may try again.
    await ctx.db.update(meetings).set({ recordingStatus: 'none', updatedAt: now }).where(eq(meetings.id, meeting.id));
    throw e;
  }
  const [row] = await ctx.db.update(meetings).set({ egressId, updatedAt: now }).where(eq(meetings.id, meeting.id)).returning();
  return toMeetingView(row!, await participantsOf(ctx.db, meeting.id), ctx.rooms.url);
}
