import { z } from '@hono/zod-openapi';
import { CASE_REF } from '../../../services/cases/case-events';
import { PARTICIPANT_ROLES } from '../../../services/meetings/grants';
import { MEETING_ID } from '../../../services/meetings/store';
import { clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';

// Made here with @hono/zod-openapi's z, so `.openapi()` is safe; services give only constants and regexes.
const IDENTITY = /^[a-z0-9][a-z0-9-]{1,62}\.[A-Za-z0-9_-]{1,64}$/;
const identity = z.string().regex(IDENTITY, 'must be a participant identity such as gaoxin.applicant').openapi({ example: 'gaoxin.applicant' });

export const caseMeetingsParams = z.object({ ref: z.string().regex(CASE_REF, 'must be a case ref such as cs_Jx3o9cV2bq1mT8aQ') });
export const meetingParams = z.object({ id: z.string().regex(MEETING_ID, 'must be a meeting id such as mt_Jx3o9cV2bq1mT8aQ') });
export const participantParams = meetingParams.extend({ identity });

export const muteBodySchema = z.object({
  trackSid: z.string().regex(/^TR_[A-Za-z0-9]{1,64}$/, 'must be a LiveKit track sid such as TR_AMkSgXYz1f').openapi({ example: 'TR_AMkSgXYz1f' }),
}).strict().openapi('MuteTrack');

export const consentBodySchema = z.object({ identity }).strict().openapi('RecordingConsent', { description: 'The party whose consent to the recording the clerk records' });

const participantSchema = z.object({
  identity: z.string(),
  role: z.enum(PARTICIPANT_ROLES),
  member: z.string(),
  displayName: z.string(),
  status: z.enum(['waiting', 'admitted', 'joined', 'left', 'removed']),
  consentAt: z.string().nullable().openapi({ description: 'when the clerk recorded this party\'s consent to the recording' }),
}).openapi('MeetingParticipant');

export const meetingSchema = z.object({
  id: z.string().openapi({ example: 'mt_Jx3o9cV2bq1mT8aQ' }),
  caseRef: z.string(),
  room: z.string().openapi({ example: 'hs-mt_Jx3o9cV2bq1mT8aQ' }),
  url: z.string().openapi({ description: 'the LiveKit server to connect to', example: 'wss://video.example.cn' }),
  status: z.enum(['open', 'closed']),
  members: z.array(z.string()),
  startedAt: z.string(),
  warnAt: z.string().openapi({ description: 'when the room is told it will close' }),
  endsAt: z.string().openapi({ description: 'the maximum duration: the room is closed then' }),
  closedAt: z.string().nullable(),
  closeReason: z.string().nullable().openapi({ description: 'ended, room_finished, room_gone or max_duration' }),
  recording: z.object({
    status: z.enum(['none', 'recording', 'done', 'failed']),
    result: z.object({ location: z.string(), size: z.number(), durationMs: z.number() }).nullable(),
  }),
  participants: z.array(participantSchema),
}).openapi('Meeting', { description: 'A cloud meeting (云见面) of a case' });

export const joinTokenSchema = z.object({
  identity: z.string(),
  url: z.string(),
  token: z.string().openapi({ description: 'a LiveKit access token for this identity and room only, valid at most 15 minutes; hand it to its holder only' }),
  expiresAt: z.string(),
}).openapi('JoinToken');

export const startedMeetingSchema = z.object({ meeting: meetingSchema, token: joinTokenSchema }).openapi('StartedMeeting');

export const muteAnswerSchema = z.object({ identity: z.string(), trackSid: z.string(), muted: z.literal(true) }).openapi('MutedTrack');

export const videoUnavailable = { ...notFound, description: 'video is not configured (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET), or the LiveKit server did not answer (`upstream_unavailable`)' };
export const meetingConflict = { ...notFound, description: 'the meeting is closed, or the step is not allowed now (`invalid_transition`)' };

/** The problems of every operation that changes a meeting. */
export const meetingWriteProblems = {
  400: invalidRequest,
  ...clerkProblems,
  403: { ...roleProblem, description: "a supervisor, or a clerk of the case's other role (`not_authorized`)" },
  404: notFound,
  409: meetingConflict,
  503: videoUnavailable,
};
