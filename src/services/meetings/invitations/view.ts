import { and, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { cases, meetingInvitations } from '../../../db/schema/index';
import type { ClerkIdentity } from '../../clerks/schema';
import type { InvitationStatus } from './schema';

type Row = typeof meetingInvitations.$inferSelect;

/** A pending invitation past its expiry is expired, whether or not the row says so yet. */
export const statusAt = (row: Pick<Row, 'status' | 'expiresAt'>, now: number): InvitationStatus =>
  row.status === 'pending' && row.expiresAt.getTime() <= now ? 'expired' : (row.status as InvitationStatus);

/** An invitation as a clerk sees it: never the token. */
export interface InvitationView {
  id: string;
  fromMember: string;
  meetingId: string;
  caseRef: string | null;
  itemCode: string | null;
  url: string;
  room: string;
  expiresAt: string;
  invitee: { member: string; role: string };
  status: InvitationStatus;
  takenBy: string | null;
  takenAt: string | null;
  createdAt: string;
}

export function toInvitationView(row: Row, now: number): InvitationView {
  return {
    id: row.id, fromMember: row.fromMember, meetingId: row.meetingId, caseRef: row.caseRef, itemCode: row.itemCode, url: row.url, room: row.room,
    expiresAt: row.expiresAt.toISOString(), invitee: row.invitee as InvitationView['invitee'], status: statusAt(row, now),
    takenBy: row.takenBy, takenAt: row.takenAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Which invitations a clerk sees, over `meeting_invitations left join cases on ref = caseRef`: a supervisor
 * all; otherwise those of a case the clerk may read (a handling case: the member's handling clerks; an
 * intake case: the intake clerks of the window that took it in), and those naming no case: the handling
 * clerks, and the intake clerks too when the invitee is the intake side. Undefined: no restriction.
 */
export function invitationsVisibleTo(clerk: ClerkIdentity): SQL | undefined {
  if (clerk.role === 'supervisor') return undefined;
  const noCase = clerk.role === 'handling'
    ? isNull(meetingInvitations.caseRef)
    : and(isNull(meetingInvitations.caseRef), sql`${meetingInvitations.invitee}->>'role' = 'intake'`);
  const ofCase = clerk.role === 'handling'
    ? and(eq(cases.role, 'handling'), eq(cases.handlingMember, clerk.member))
    : and(eq(cases.role, 'intake'), eq(cases.intakeMember, clerk.member), sql`${cases.intake}->>'window' = ${clerk.window}`);
  return or(noCase, ofCase);
}
