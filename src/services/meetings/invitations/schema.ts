import { z } from 'zod';

/** §7.3: a token's lifetime, and so an invitation's reach into the future, is at most 15 minutes. */
export const MAX_TOKEN_SECONDS = 900;
/** Clock tolerance between gateways, as for signatures (§3.1 step 6). */
export const SKEW_SECONDS = 30;
/** An invitation is a few hundred bytes; a LiveKit token under 2 KiB. */
export const MAX_INVITATION_BYTES = 16 * 1024;

export const MEMBER_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** A compact JWS: three base64url parts, the signature not empty. */
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const VISIBLE = /^[\x21-\x7e]+$/;

const serverUrl = z.string().max(2048).url('must be a URL').refine((u) => /^(https?|wss?):\/\//i.test(u), 'must be an http(s) or ws(s) URL');

/** The body of `POST /federation/v1/meetings` (§7.3); the token's claims and the times are checked against the clock later. */
export const invitationSchema = z.object({
  meetingId: z.string().min(1).max(64).regex(VISIBLE, 'must be visible ASCII characters'),
  /** The case as §7.2 names it (the handling member's ref): one the sender takes part in. */
  caseRef: z.string().min(1).max(64).optional(),
  url: serverUrl,
  room: z.string().min(1).max(128),
  token: z.string().max(8192).regex(COMPACT_JWT, 'must be a compact JWT (LiveKit access token)'),
  expiresAt: z.iso.datetime({ offset: true }),
  invitee: z.object({
    member: z.string().regex(MEMBER_ID, 'must be a member id'),
    /** The invitee's part, e.g. `handling` (the handling member's clerk) or `intake`. */
    role: z.string().regex(/^[a-z][a-z_]{0,31}$/, 'must be a role such as handling or intake'),
  }).strict(),
}).strict();

export type MeetingInvitation = z.infer<typeof invitationSchema>;

export const INVITATION_STATUSES = ['pending', 'taken', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const INVITATION_ID = /^mi_[A-Za-z0-9_-]{16}$/;
