import { z } from '@hono/zod-openapi';
import { INVITATION_ID, INVITATION_STATUSES } from '../../../services/meetings/invitations/schema';

export const invitationParams = z.object({ id: z.string().regex(INVITATION_ID, 'must be an invitation id such as mi_Jx3o9cV2bq1mT8aQ') });

export const invitationSchema = z.object({
  id: z.string().openapi({ example: 'mi_Jx3o9cV2bq1mT8aQ' }),
  fromMember: z.string().openapi({ description: 'the inviting member' }),
  meetingId: z.string().openapi({ description: "the inviting member's meeting id" }),
  caseRef: z.string().nullable().openapi({ description: "this member's ref of the case, when the invitation names one" }),
  itemCode: z.string().nullable(),
  url: z.string().openapi({ description: 'the LiveKit server URL' }),
  room: z.string(),
  expiresAt: z.string(),
  invitee: z.object({ member: z.string(), role: z.string() }),
  status: z.enum(INVITATION_STATUSES),
  takenBy: z.string().nullable().openapi({ description: 'the clerk who joined' }),
  takenAt: z.string().nullable(),
  createdAt: z.string(),
}).openapi('MeetingInvitation', { description: 'A §7.3 invitation from another member, without its token' });

export const invitationListSchema = z.object({ invitations: z.array(invitationSchema) }).openapi('MeetingInvitations');

export const joinAnswerSchema = z.object({
  url: z.string().openapi({ description: 'the LiveKit server URL' }),
  room: z.string(),
  token: z.string().openapi({ description: 'the LiveKit access token: handed out once, to the clerk who joins first' }),
  expiresAt: z.string(),
}).openapi('MeetingJoin');
