import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { meetingInvitations } from '../../../db/schema/index';
import type { Clock } from '../../../lib/clock';
import { AppError, type FieldError } from '../../../lib/errors';
import type { Ids } from '../../../lib/ids';
import type { Sealer } from '../../../lib/sealed';
import { findVisibleCase } from '../../cases/case-events';
import type { InvitationStatus, MeetingInvitation } from './schema';
import { expiryProblems, liveKitTokenProblems } from './token-claims';
import { statusAt } from './view';

export interface InvitationCtx {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  ids: Ids;
  selfId: string;
}

export interface InvitationReceipt {
  invitationId: string;
  status: InvitationStatus;
  /** This member's own ref of the case, for the evidence (not part of the answer). */
  ownCaseRef: string | null;
}

type Row = typeof meetingInvitations.$inferSelect;

/**
 * §7.3 after the shape: the body's sense (400, every problem named), then the case (404 to a sender that
 * does not take part in it, §7), then the invitation is kept with its token sealed. The same meetingId
 * from the same member answers the first invitation when the content is the same, 409 otherwise.
 */
export async function receiveMeetingInvitation({ ctx, input }: { ctx: InvitationCtx; input: { from: string; body: MeetingInvitation } }): Promise<InvitationReceipt> {
  const { body, from } = input;
  const now = ctx.clock.now();
  const problems = invitationProblems(body, ctx.selfId, now);
  if (problems.length) throw new AppError('invalid_request', `the invitation is not valid: ${problems.length} problem${problems.length > 1 ? 's' : ''}`, { errors: problems });
  let ownCaseRef: string | null = null;
  let itemCode: string | null = null;
  if (body.caseRef !== undefined) {
    const visible = await findVisibleCase(ctx.db, body.caseRef, from);
    if (!visible) throw new AppError('not_found', `no case ${body.caseRef}`);
    ownCaseRef = visible.row.ref;
    itemCode = visible.row.itemCode;
  }
  const id = ctx.ids.make('mi');
  const [inserted] = await ctx.db.insert(meetingInvitations).values({
    id, fromMember: from, meetingId: body.meetingId, caseRef: ownCaseRef, itemCode, url: body.url, room: body.room,
    tokenSealed: await ctx.sealer.seal(body.token), expiresAt: new Date(Date.parse(body.expiresAt)),
    invitee: { member: body.invitee.member, role: body.invitee.role }, status: 'pending', createdAt: new Date(now),
  }).onConflictDoNothing({ target: [meetingInvitations.fromMember, meetingInvitations.meetingId] }).returning({ id: meetingInvitations.id });
  if (inserted) return { invitationId: inserted.id, status: 'pending', ownCaseRef };
  const [first] = await ctx.db.select().from(meetingInvitations).where(and(eq(meetingInvitations.fromMember, from), eq(meetingInvitations.meetingId, body.meetingId)));
  if (!first || !(await sameInvitation(ctx.sealer, first, body, ownCaseRef))) {
    throw new AppError('idempotency_conflict', `meeting ${body.meetingId} was already received with another invitation`);
  }
  return { invitationId: first.id, status: statusAt(first, now), ownCaseRef };
}

function invitationProblems(body: MeetingInvitation, selfId: string, now: number): FieldError[] {
  const nowSec = Math.floor(now / 1000);
  const expiresAtSec = Math.floor(Date.parse(body.expiresAt) / 1000);
  // The envelope's `aud` names us; a body naming another member is not an invitation we can hand to anyone.
  const member: FieldError[] = body.invitee.member === selfId ? [] : [{ path: 'invitee.member', message: `must be this member (${selfId})` }];
  return [...member, ...expiryProblems(expiresAtSec, nowSec), ...liveKitTokenProblems(body.token, { room: body.room, expiresAtSec, nowSec })];
}

async function sameInvitation(sealer: Sealer, row: Row, body: MeetingInvitation, ownCaseRef: string | null): Promise<boolean> {
  const invitee = row.invitee as { member?: unknown; role?: unknown };
  const same = row.caseRef === ownCaseRef && row.url === body.url && row.room === body.room
    && row.expiresAt.getTime() === Date.parse(body.expiresAt) && invitee.member === body.invitee.member && invitee.role === body.invitee.role;
  return same && (await sealer.open(row.tokenSealed)) === body.token;
}
