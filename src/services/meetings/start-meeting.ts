import { and, eq } from 'drizzle-orm';
import { meetingParticipants, meetings } from '../../db/schema/index';
import { AppError } from '../../lib/errors';
import type { ClerkIdentity } from '../clerks/schema';
import { findClerkCase } from '../cases/clerk-events';
import type { CaseRow } from '../cases/intake/types';
import { closeMeeting } from './close-meeting';
import { grantsFor, TOKEN_TTL_SECONDS, type ParticipantRole } from './grants';
import { queueMeetingInvitation } from './invitations/send';
import type { MeetingCtx } from './meeting-ctx';
import { participantsOf, requireCaseClerk } from './store';
import { recordMeetingEvent } from './timeline';
import { toMeetingView, type JoinToken, type MeetingView, type ParticipantStatus } from './view';

/** Seconds a created room waits for its first participant, and stays after the last one left. */
const EMPTY_TIMEOUT_S = 600;
const DEPARTURE_TIMEOUT_S = 60;

export interface StartedMeeting {
  meeting: MeetingView;
  /** The starting clerk's own token. */
  token: JoinToken;
}

interface Party { identity: string; role: ParticipantRole; member: string; displayName: string; status: ParticipantStatus }

/** LiveKit identities: `<member>.<clerk id>`, `<member>.applicant`, `<other member>.clerk`. */
export const identities = {
  clerk: (member: string, clerkId: string) => `${member}.${clerkId}`,
  applicant: (member: string) => `${member}.applicant`,
  remoteClerk: (member: string) => `${member}.clerk`,
};

/** The member on the case's other side, when it is another member and known yet. */
function otherSide(kase: CaseRow, self: string): string | null {
  const other = kase.role === 'intake' ? kase.handlingMember : kase.intakeMember;
  return other && other !== self ? other : null;
}

/**
 * A clerk of the case starts a cloud meeting: the room is created explicitly (no auto-created rooms)
 * with its limits, and tokens go only to the identities that may join: this clerk now, a clerk of the
 * other member through a §7.3 invitation, the applicant when admitted (waiting room).
 */
export async function startMeeting({ ctx, input }: { ctx: MeetingCtx; input: { clerk: ClerkIdentity; ref: string } }): Promise<StartedMeeting> {
  const { clerk } = input;
  const kase = await findClerkCase(ctx.db, input.ref, clerk);
  if (!kase) throw new AppError('not_found', `no case ${input.ref}`);
  requireCaseClerk(clerk, kase);
  const [open] = await ctx.db.select({ id: meetings.id }).from(meetings).where(and(eq(meetings.caseRef, kase.ref), eq(meetings.status, 'open')));
  if (open) throw new AppError('invalid_transition', `case ${kase.ref} already has an open meeting ${open.id}`);

  const self = ctx.selfId;
  const other = otherSide(kase, self);
  const id = ctx.ids.make('mt');
  const room = `hs-${id}`;
  const members = other ? [self, other] : [self];
  const parties: Party[] = [
    { identity: identities.clerk(self, clerk.id), role: 'clerk', member: self, displayName: clerk.name, status: 'admitted' },
    { identity: identities.applicant(self), role: 'applicant', member: self, displayName: kase.applicantName, status: 'waiting' },
    ...(other ? [{ identity: identities.remoteClerk(other), role: 'remote_clerk' as const, member: other, displayName: `${other} clerk`, status: 'admitted' as const }] : []),
  ];
  return openMeeting(ctx, { id, room, kase, clerk, members, parties, other });
}

interface NewMeeting { id: string; room: string; kase: CaseRow; clerk: ClerkIdentity; members: string[]; parties: Party[]; other: string | null }

/**
 * The meeting is saved before its room exists, so that LiveKit's room_started webhook (sent as soon as
 * the room is created) finds it; a room that cannot be created closes the meeting again. The invitation
 * to the other member goes out only once the room exists.
 */
async function openMeeting(ctx: MeetingCtx, m: NewMeeting): Promise<StartedMeeting> {
  const now = new Date(ctx.clock.now());
  const endsAt = new Date(now.getTime() + ctx.limits.maxMinutes * 60_000);
  const warnAt = new Date(endsAt.getTime() - ctx.limits.warnMinutes * 60_000);
  const mine = m.parties[0]!;
  const token = await ctx.rooms.mintToken(mine.identity, mine.displayName, grantsFor('clerk', m.room), TOKEN_TTL_SECONDS);
  const remote = m.parties.find((p) => p.role === 'remote_clerk');
  const remoteToken = remote ? await ctx.rooms.mintToken(remote.identity, remote.displayName, grantsFor('remote_clerk', m.room), TOKEN_TTL_SECONDS) : null;
  await ctx.db.transaction(async (tx) => {
    await tx.insert(meetings).values({
      id: m.id, caseRef: m.kase.ref, room: m.room, status: 'open', createdBy: `clerk:${m.clerk.id}`, members: m.members,
      maxDurationSeconds: ctx.limits.maxMinutes * 60, startedAt: now, warnAt, endsAt, createdAt: now, updatedAt: now,
    });
    await tx.insert(meetingParticipants).values(m.parties.map((p) => ({
      meetingId: m.id, ...p, tokenIssuedAt: p.status === 'admitted' ? now : null, createdAt: now, updatedAt: now,
    })));
    await recordMeetingEvent(tx, ctx, {
      caseRef: m.kase.ref, type: 'meeting_created', eventId: ctx.ids.make('ev'), actor: `clerk:${m.clerk.id}`, at: now,
      data: { meetingId: m.id, room: m.room, members: m.members, participants: m.parties.map((p) => ({ identity: p.identity, role: p.role })), endsAt: endsAt.toISOString() },
    });
  });
  try {
    // The recorder of a room-composite egress joins as a participant too.
    await ctx.rooms.createRoom({
      name: m.room, maxParticipants: m.parties.length + 1, emptyTimeout: EMPTY_TIMEOUT_S, departureTimeout: DEPARTURE_TIMEOUT_S,
      metadata: JSON.stringify({ meetingId: m.id, caseRef: m.kase.ref, members: m.members }),
    });
  } catch (e) {
    const at = new Date(ctx.clock.now());
    await ctx.db.transaction((tx) => closeMeeting(tx, ctx, m.id, { reason: 'room_not_created', actor: 'gateway', at, eventId: ctx.ids.make('ev') }));
    throw e;
  }
  if (remote && remoteToken && m.other) {
    const other = m.other;
    await ctx.db.transaction((tx) => queueMeetingInvitation(tx, ctx, {
      meetingId: m.id, caseRef: handlingRef(m.kase), ownCaseRef: m.kase.ref, url: ctx.rooms.url, room: m.room,
      token: remoteToken.token, expiresAt: remoteToken.expiresAt, invitee: { member: other, role: m.kase.role === 'intake' ? 'handling' : 'intake' },
    }));
  }
  const participants = await participantsOf(ctx.db, m.id);
  const [row] = await ctx.db.select().from(meetings).where(eq(meetings.id, m.id));
  return { meeting: toMeetingView(row!, participants, ctx.rooms.url), token: { identity: mine.identity, url: ctx.rooms.url, ...token } };
}

/** §7.2 names a case by the handling member's ref; the intake side knows it once the receipt came. */
const handlingRef = (kase: CaseRow): string | undefined => (kase.role === 'handling' ? kase.ref : kase.remoteRef ?? undefined);
