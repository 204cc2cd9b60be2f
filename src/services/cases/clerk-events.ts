import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { caseEvents, cases, evidenceRecords } from '../../db/schema/index';
import { hex, utf8 } from '../../lib/encoding';
import { AppError } from '../../lib/errors';
import type { ClerkIdentity } from '../clerks/schema';
import { CASE_REF } from './case-events';
import type { CaseEvent, EventType, Side } from './events-schema';
import { checkMaterials } from './receive-transfer';
import type { CaseCtx } from './case-ctx';
import { recordTransition } from './record-transition';
import type { CaseStatus } from './state-machine';

type CaseRow = typeof cases.$inferSelect;
type WithoutIds<T> = T extends unknown ? Omit<T, 'eventId' | 'at'> : never;

/** What a clerk posts: a §7.2 event whose `eventId` and `at` the gateway makes. */
export type ClerkEventBody = WithoutIds<CaseEvent>;

export interface ClerkEventAnswer {
  eventId: string;
  status: CaseStatus;
  /** The outbox message that carries the event to the member on the other side. */
  messageId: string;
}

/**
 * The case `{ref}` (our own ref) as a clerk of this member may see it: a handling case belongs to the
 * member as a whole (no window of ours took it in); an intake case to the window that took it in.
 * Anything else is null, so the caller answers 404 and nothing leaks about other windows' cases.
 */
export async function findClerkCase(db: Db, ref: string, clerk: ClerkIdentity): Promise<CaseRow | null> {
  if (!CASE_REF.test(ref)) return null;
  const [row] = await db.select().from(cases).where(eq(cases.ref, ref));
  if (!row) return null;
  if (row.role === 'handling') return row.handlingMember === clerk.member ? row : null;
  const window = (row.intake as { window?: unknown } | null)?.window;
  return row.role === 'intake' && row.intakeMember === clerk.member && window === clerk.window ? row : null;
}

/**
 * A clerk of this member moves one of its cases (a member without a back office handles cases here):
 * the clerk speaks for the case's side. In one transaction, under the case's row lock: the state machine
 * (403 wrong side, 409 invalid_transition), the timeline row, the new state, and the same §7.2 event in
 * the outbox for the other side, so the event is sent exactly when it is recorded.
 */
export async function postClerkEvent({ ctx, input }: { ctx: CaseCtx; input: { clerk: ClerkIdentity; ref: string; body: ClerkEventBody } }): Promise<ClerkEventAnswer> {
  const { clerk } = input;
  const found = await findClerkCase(ctx.db, input.ref, clerk);
  if (!found) throw new AppError('not_found', `no case ${input.ref}`);
  if (clerk.role !== found.role) throw new AppError('not_authorized', `${found.role} cases are moved by ${found.role} clerks; clerk ${clerk.id} is ${clerk.role}`);
  const event = { ...input.body, eventId: ctx.ids.make('ev'), at: new Date(ctx.clock.now()).toISOString() } as CaseEvent;
  const supplements = event.type === 'supplement_provided' ? await checkMaterials(ctx, event.data, 'data.materials') : [];
  const contentHash = hex(await ctx.engine.sha256(utf8(JSON.stringify(event))));
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(cases).where(eq(cases.ref, found.ref)).for('update');
    const done = await recordTransition(tx, ctx, { row: row!, event, side: row!.role as Side, sender: clerk.member, actor: `clerk:${clerk.id}`, contentHash, supplements, forward: true });
    return { eventId: done.eventId, status: done.status, messageId: done.messageId! };
  });
}

const MAX_EVIDENCE_LISTED = 500;

/** A case's timeline for a clerk who may see the case: every event, whichever side sent it, in order. */
export async function clerkCaseTimeline({ ctx, input }: { ctx: { db: Db }; input: { clerk: ClerkIdentity; ref: string } }) {
  const row = await findClerkCase(ctx.db, input.ref, input.clerk);
  if (!row) throw new AppError('not_found', `no case ${input.ref}`);
  const events = await ctx.db.select().from(caseEvents).where(eq(caseEvents.caseRef, row.ref)).orderBy(asc(caseEvents.recordedAt), asc(caseEvents.id));
  // The signed messages of the case (evidence log): what proves each hop, to export with `handshake audit export`.
  const evidence = await ctx.db.select({ seq: evidenceRecords.seq, at: evidenceRecords.at, kind: evidenceRecords.kind, peer: evidenceRecords.peer, method: evidenceRecords.method, path: evidenceRecords.path, hash: evidenceRecords.hash })
    .from(evidenceRecords).where(eq(evidenceRecords.caseRef, row.ref)).orderBy(asc(evidenceRecords.seq)).limit(MAX_EVIDENCE_LISTED);
  return {
    caseRef: row.ref, role: row.role as Side, status: row.state as CaseStatus,
    timeline: events.map((e) => ({
      eventId: e.eventId, type: e.type as EventType, at: e.at.toISOString(), side: e.side as Side, sender: e.sender, status: e.statusAfter as CaseStatus,
      ...(e.actor ? { actor: e.actor } : {}), ...(e.note ? { note: e.note } : {}), ...(e.data ? { data: e.data as Record<string, unknown> } : {}),
    })),
    evidence: evidence.map((r) => ({ ...r, at: r.at.toISOString() })),
  };
}
