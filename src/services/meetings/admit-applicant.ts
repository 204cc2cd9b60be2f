import { meetingParticipants } from '../../db/schema/index';
import { AppError } from '../../lib/errors';
import type { ClerkIdentity } from '../clerks/schema';
import { grantsFor, TOKEN_TTL_SECONDS } from './grants';
import type { MeetingCtx } from './meeting-ctx';
import { findClerkMeeting, participantKey, requireCaseClerk, requireOpen } from './store';
import type { JoinToken } from './view';

/**
 * The waiting room: the applicant's token exists only once a clerk of the case admits them. Admitting
 * again mints a fresh token (the first one may have expired before they joined); a removed applicant
 * stays out.
 */
export async function admitApplicant({ ctx, input }: { ctx: MeetingCtx; input: { clerk: ClerkIdentity; meetingId: string } }): Promise<JoinToken> {
  const found = await findClerkMeeting(ctx.db, input.meetingId, input.clerk);
  requireCaseClerk(input.clerk, found.kase);
  requireOpen(found.meeting);
  const applicant = found.participants.find((p) => p.role === 'applicant');
  if (!applicant) throw new AppError('not_found', `meeting ${found.meeting.id} has no applicant`);
  if (applicant.status === 'removed') throw new AppError('invalid_transition', `the applicant was removed from meeting ${found.meeting.id}`);
  const minted = await ctx.rooms.mintToken(applicant.identity, applicant.displayName, grantsFor('applicant', found.meeting.room), TOKEN_TTL_SECONDS);
  const now = new Date(ctx.clock.now());
  await ctx.db.update(meetingParticipants)
    .set({ status: applicant.status === 'waiting' ? 'admitted' : applicant.status, tokenIssuedAt: now, updatedAt: now })
    .where(participantKey(found.meeting.id, applicant.identity));
  return { identity: applicant.identity, url: ctx.rooms.url, ...minted };
}
