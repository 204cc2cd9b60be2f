import type { Db } from '../../../db/client';
import { enqueueMessage, type OutboxMessage } from '../../../federation/outbox/enqueue';
import type { Clock } from '../../../lib/clock';
import type { Ids } from '../../../lib/ids';
import type { Sealer } from '../../../lib/sealed';
import { invitationSchema, type MeetingInvitation } from './schema';

export interface InvitationInput extends MeetingInvitation {
  /**
   * This member's own ref of the case, for the evidence of the delivery; `caseRef` is the case as the
   * receiver looks it up (§7.2's ref: the handling member's), which differs on the intake side.
   */
  ownCaseRef?: string;
}

/**
 * Queues a §7.3 invitation for `invitee.member` in the caller's transaction. The body is sealed at rest
 * (`personal`): the LiveKit token admits whoever holds it. A body off the §7.3 shape is a programming
 * error, refused before anything is stored.
 * @example await db.transaction((tx) => queueMeetingInvitation(tx, deps, { meetingId, caseRef: remoteRef, ownCaseRef: ref, url, room, token, expiresAt, invitee: { member: 'xihaike', role: 'handling' } }));
 */
export async function queueMeetingInvitation(tx: Db, ctx: { ids: Ids; clock: Clock; sealer: Sealer }, input: InvitationInput): Promise<OutboxMessage> {
  const { ownCaseRef, ...invitation } = input;
  const body: MeetingInvitation = {
    meetingId: invitation.meetingId, ...(invitation.caseRef ? { caseRef: invitation.caseRef } : {}), url: invitation.url, room: invitation.room,
    token: invitation.token, expiresAt: invitation.expiresAt, invitee: { member: invitation.invitee.member, role: invitation.invitee.role },
  };
  const parsed = invitationSchema.safeParse(body);
  if (!parsed.success) {
    // Paths only: a message would echo the token.
    throw new TypeError(`meeting invitation refused: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return enqueueMessage(tx, {
    kind: 'meeting_invitation', caseRef: ownCaseRef ?? null, to: body.invitee.member, method: 'POST', path: '/federation/v1/meetings',
    body, personal: true,
  }, ctx);
}
