import type { RoomGrants } from './video-rooms';

export const PARTICIPANT_ROLES = ['applicant', 'clerk', 'remote_clerk'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** §7.3 and the issue: a token lives at most 15 minutes; it only has to be valid when its holder joins. */
export const TOKEN_TTL_SECONDS = 900;

/**
 * The least a role needs: the applicant shows a face and speaks; clerks also share a screen (to show
 * documents) and send data (the room's notices). Joining one room is all any token grants.
 */
export function grantsFor(role: ParticipantRole, room: string): RoomGrants {
  if (role === 'applicant') return { room, canPublishSources: ['camera', 'microphone'], canSubscribe: true, canPublishData: false };
  return { room, canPublishSources: ['camera', 'microphone', 'screen_share', 'screen_share_audio'], canSubscribe: true, canPublishData: true };
}
