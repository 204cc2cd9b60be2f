import type { meetingParticipants, meetings } from '../../db/schema/index';
import type { ParticipantRole } from './grants';
import type { RecordingFile } from './video-rooms';

export type MeetingRow = typeof meetings.$inferSelect;
export type ParticipantRow = typeof meetingParticipants.$inferSelect;

export type ParticipantStatus = 'waiting' | 'admitted' | 'joined' | 'left' | 'removed';
export type RecordingStatus = 'none' | 'recording' | 'done' | 'failed';

/** A meeting as the clerk API shows it: our own shape, nothing of LiveKit's objects. */
export interface MeetingView {
  id: string;
  caseRef: string;
  room: string;
  /** The LiveKit server URL to connect to with a token. */
  url: string;
  status: 'open' | 'closed';
  members: string[];
  startedAt: string;
  warnAt: string;
  endsAt: string;
  closedAt: string | null;
  closeReason: string | null;
  recording: { status: RecordingStatus; result: RecordingFile | null };
  participants: ParticipantView[];
}

export interface ParticipantView {
  identity: string;
  role: ParticipantRole;
  member: string;
  displayName: string;
  status: ParticipantStatus;
  consentAt: string | null;
}

/** A token for one identity, as handed to the person who joins with it. */
export interface JoinToken {
  identity: string;
  url: string;
  token: string;
  expiresAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toMeetingView(m: MeetingRow, participants: ParticipantRow[], url: string): MeetingView {
  return {
    id: m.id, caseRef: m.caseRef, room: m.room, url, status: m.status as MeetingView['status'], members: m.members as string[],
    startedAt: m.startedAt.toISOString(), warnAt: m.warnAt.toISOString(), endsAt: m.endsAt.toISOString(),
    closedAt: iso(m.closedAt), closeReason: m.closeReason,
    recording: { status: m.recordingStatus as RecordingStatus, result: (m.recording as RecordingFile | null) ?? null },
    participants: participants.map((p) => ({
      identity: p.identity, role: p.role as ParticipantRole, member: p.member, displayName: p.displayName,
      status: p.status as ParticipantStatus, consentAt: iso(p.consentAt),
    })),
  };
}
