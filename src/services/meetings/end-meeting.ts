import type { ClerkIdentity } from '../clerks/schema';
import { closeMeeting } from './close-meeting';
import type { MeetingCtx } from './meeting-ctx';
import { findClerkMeeting, participantsOf, requireCaseClerk, requireOpen } from './store';
import { toMeetingView, type MeetingView } from './view';

/** A clerk of the case ends the meeting: the room is deleted (everyone leaves, a recording ends) and the meeting closed. */
export async function endMeeting({ ctx, input }: { ctx: MeetingCtx; input: { clerk: ClerkIdentity; meetingId: string } }): Promise<MeetingView> {
  const found = await findClerkMeeting(ctx.db, input.meetingId, input.clerk);
  requireCaseClerk(input.clerk, found.kase);
  requireOpen(found.meeting);
  await ctx.rooms.deleteRoom(found.meeting.room);
  const at = new Date(ctx.clock.now());
  const closed = await ctx.db.transaction((tx) => closeMeeting(tx, ctx, found.meeting.id, { reason: 'ended', actor: `clerk:${input.clerk.id}`, at, eventId: ctx.ids.make('ev') }));
  // Closed by someone else meanwhile (a webhook, the reconciliation job): show it as it is now.
  const row = closed ?? (await findClerkMeeting(ctx.db, found.meeting.id, input.clerk)).meeting;
  return toMeetingView(row, await participantsOf(ctx.db, found.meeting.id), ctx.rooms.url);
}
