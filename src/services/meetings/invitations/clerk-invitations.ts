import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { cases, meetingInvitations } from '../../../db/schema/index';
import type { Clock } from '../../../lib/clock';
import { AppError } from '../../../lib/errors';
import type { Sealer } from '../../../lib/sealed';
import type { ClerkIdentity } from '../../clerks/schema';
import { INVITATION_ID } from './schema';
import { invitationsVisibleTo, statusAt, toInvitationView, type InvitationView } from './view';

export const MAX_INVITATIONS_LISTED = 100;

/** The invitations `clerk` may see: pending ones not yet expired first, then the newest. Never a token. */
export async function listInvitations({ ctx, input }: { ctx: { db: Db; clock: Clock }; input: { clerk: ClerkIdentity } }): Promise<InvitationView[]> {
  const now = ctx.clock.now();
  const open = sql`case when ${meetingInvitations.status} = 'pending' and ${meetingInvitations.expiresAt} > ${new Date(now).toISOString()}::timestamptz then 0 else 1 end`;
  const rows = await ctx.db.select(getTableColumns(meetingInvitations)).from(meetingInvitations)
    .leftJoin(cases, eq(cases.ref, meetingInvitations.caseRef))
    .where(invitationsVisibleTo(input.clerk))
    .orderBy(open, desc(meetingInvitations.createdAt), desc(meetingInvitations.id)).limit(MAX_INVITATIONS_LISTED);
  return rows.map((r) => toInvitationView(r, now));
}

export interface JoinAnswer {
  url: string;
  room: string;
  token: string;
  expiresAt: string;
}

/**
 * The first clerk to join takes the invitation and gets its token, once: under the row's lock, a pending
 * invitation becomes `taken` by that clerk. Taken already, or expired: 409 invalid_transition. An
 * invitation the clerk may not see is 404, as if it did not exist.
 */
export async function joinInvitation({ ctx, input }: { ctx: { db: Db; clock: Clock; sealer: Sealer }; input: { clerk: ClerkIdentity; id: string } }): Promise<JoinAnswer> {
  const { clerk, id } = input;
  const notFound = new AppError('not_found', `no meeting invitation ${id}`);
  if (!INVITATION_ID.test(id)) throw notFound;
  const [visible] = await ctx.db.select({ id: meetingInvitations.id }).from(meetingInvitations)
    .leftJoin(cases, eq(cases.ref, meetingInvitations.caseRef)).where(and(eq(meetingInvitations.id, id), invitationsVisibleTo(clerk)));
  if (!visible) throw notFound;
  const outcome = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(meetingInvitations).where(eq(meetingInvitations.id, id)).for('update');
    const now = ctx.clock.now();
    const status = statusAt(row!, now);
    if (status !== 'pending') {
      if (status === 'expired' && row!.status !== 'expired') await tx.update(meetingInvitations).set({ status: 'expired' }).where(eq(meetingInvitations.id, id));
      return { refused: status, row: row! };
    }
    // Opened before it is marked taken: a token that cannot be opened leaves the invitation pending.
    const token = await ctx.sealer.open(row!.tokenSealed);
    await tx.update(meetingInvitations).set({ status: 'taken', takenBy: clerk.id, takenAt: new Date(now) }).where(eq(meetingInvitations.id, id));
    return { answer: { url: row!.url, room: row!.room, token, expiresAt: row!.expiresAt.toISOString() } };
  });
  if (outcome.answer) return outcome.answer;
  const row = outcome.row!;
  if (outcome.refused === 'expired') throw new AppError('invalid_transition', `invitation ${id} expired at ${row.expiresAt.toISOString()}; the inviting member must invite again`);
  throw new AppError('invalid_transition', `invitation ${id} was already taken${row.takenBy === clerk.id ? ' by you' : ' by another clerk'}: its token is handed out once`);
}
