import type { ClerkIdentity } from '../clerks/schema';
import type { MeetingCtx } from './meeting-ctx';
import { findClerkMeeting } from './store';
import { toMeetingView, type MeetingView } from './view';

/** A meeting for any clerk who may see its case (supervisors too); 404 otherwise. */
export async function getMeeting({ ctx, input }: { ctx: MeetingCtx; input: { clerk: ClerkIdentity; meetingId: string } }): Promise<MeetingView> {
  const found = await findClerkMeeting(ctx.db, input.meetingId, input.clerk);
  return toMeetingView(found.meeting, found.participants, ctx.rooms.url);
}
