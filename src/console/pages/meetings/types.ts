/** The meetings API's shapes (src/routes/api/meetings/schema.ts, src/routes/api/invitations/schema.ts). */
export type ParticipantStatus = 'waiting' | 'admitted' | 'joined' | 'left' | 'removed';

export interface Participant {
  identity: string;
  role: 'applicant' | 'clerk' | 'remote_clerk';
  member: string;
  displayName: string;
  status: ParticipantStatus;
  consentAt: string | null;
}

export interface Meeting {
  id: string;
  caseRef: string;
  room: string;
  url: string;
  status: 'open' | 'closed';
  members: string[];
  startedAt: string;
  warnAt: string;
  endsAt: string;
  closedAt: string | null;
  closeReason: string | null;
  recording: { status: 'none' | 'recording' | 'done' | 'failed'; result: { location: string; size: number; durationMs: number } | null };
  participants: Participant[];
}

export interface JoinToken { identity: string; url: string; token: string; expiresAt: string }

export interface StartedMeeting { meeting: Meeting; token: JoinToken }

export interface Invitation {
  id: string;
  fromMember: string;
  meetingId: string;
  caseRef: string | null;
  itemCode: string | null;
  url: string;
  room: string;
  expiresAt: string;
  invitee: { member: string; role: string };
  status: string;
  takenBy: string | null;
  takenAt: string | null;
  createdAt: string;
}

export interface JoinAnswer { url: string; room: string; token: string; expiresAt: string }
