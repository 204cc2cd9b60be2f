import { meetingParticipants } from '../../db/schema/index';
import type { ClerkIdentity } from '../clerks/schema';
import type { MeetingCtx } from './meeting-ctx';
import { findClerkMeeting, participantKey, participantOf, participantsOf, requireCaseClerk, requireOpen } from './store';
import { toMeetingView, type MeetingView } from './view';

interface ModerateInput { clerk: ClerkIdentity; meetingId: string; identity: string }

/** A clerk of the case removes a participant from the room; they are not admitted again. */
export async function removeParticipant({ ctx, input }: { ctx: MeetingCtx; input: ModerateInput }): Promise<MeetingView> {
  const found = await findClerkMeeting(ctx.db, input.meetingId, input.clerk);
  requireCaseClerk(input.clerk, found.kase);
  requireOpen(found.meeting);
  const p = participantOf(found, input.identity);
  await ctx.rooms.removeParticipant(found.meeting.room, p.identity);
  const now = new Date(ctx.clock.now());
  await ctx.db.update(meetingParticipants).set({ status: 'removed', updatedAt: now }).where(participantKey(found.meeting.id, p.identity));
  return toMeetingView(found.meeting, await participantsOf(ctx.db, found.meeting.id), ctx.rooms.url);
}

/** A clerk of the case mutes one published track of a participant (they may unmute it themselves). */
export async function muteTrack({ ctx, input }: { ctx: MeetingCtx; input: ModerateInput & { trackSid: string } }): Promise<{ identity: string; trackSid: string; muted: true }> {
  const found = await findClerkMeeting(ctx.db, input.meetingId, input.clerk);
  requireCaseClerk(input.clerk, found.kase);
  requireOpen(found.meeting);
  const p = participantOf(found, input.identity);
  await ctx.rooms.mutePublishedTrack(found.meeting.room, p.identity, input.trackSid, true);
  return { identity: p.identity, trackSid: input.trackSid, muted: true };
}
