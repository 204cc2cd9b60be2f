import { meetingParticipants } from '../../db/schema/index';
import type { ClerkIdentity } from '../clerks/schema';
import type { MeetingCtx } from './meeting-ctx';
import { findClerkMeeting, participantKey, participantOf, participantsOf, requireCaseClerk, requireOpen } from './store';
import { recordMeetingEvent } from './timeline';
import { toMeetingView, type MeetingView } from './view';

/**
 * A clerk of the case records one party's consent to the recording (asked in the meeting). It lands in
 * the case's timeline with the clerk who recorded it; a consent already given keeps its first time.
 */
export async function recordConsent({ ctx, input }: { ctx: MeetingCtx; input: { clerk: ClerkIdentity; meetingId: string; identity: string } }): Promise<MeetingView> {
  const found = await findClerkMeeting(ctx.db, input.meetingId, input.clerk);
  requireCaseClerk(input.clerk, found.kase);
  requireOpen(found.meeting);
  const p = participantOf(found, input.identity);
  if (!p.consentAt) {
    const now = new Date(ctx.clock.now());
    await ctx.db.transaction(async (tx) => {
      await tx.update(meetingParticipants).set({ consentAt: now, updatedAt: now }).where(participantKey(found.meeting.id, p.identity));
      await recordMeetingEvent(tx, ctx, {
        caseRef: found.meeting.caseRef, type: 'recording_consent', eventId: ctx.ids.make('ev'), actor: `clerk:${input.clerk.id}`, at: now,
        data: { meetingId: found.meeting.id, identity: p.identity, role: p.role, member: p.member },
      });
    });
  }
  return toMeetingView(found.meeting, await participantsOf(ctx.db, found.meeting.id), ctx.rooms.url);
}
