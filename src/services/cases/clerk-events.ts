import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { caseEvents, caseMaterials, cases } from '../../db/schema/index';
import type { JwsEngine } from '../../federation/engine';
import { enqueueMessage } from '../../federation/outbox/enqueue';
import type { Clock } from '../../lib/clock';
import { hex, utf8 } from '../../lib/encoding';
import { AppError } from '../../lib/errors';
import type { Ids } from '../../lib/ids';
import type { ClerkIdentity } from '../clerks/schema';
import { CASE_REF } from './case-events';
import type { CaseEvent, EventType, Side } from './events-schema';
import { checkMaterials } from './receive-transfer';
import { applyEvent, initialCaseState, type CaseState, type CaseStatus } from './state-machine';

type CaseRow = typeof cases.$inferSelect;
type WithoutIds<T> = T extends unknown ? Omit<T, 'eventId' | 'at'> : never;

/** What a clerk posts: a §7.2 event whose `eventId` and `at` the gateway makes. */
export type ClerkEventBody = WithoutIds<CaseEvent>;

export interface ClerkEventCtx {
  db: Db;
  engine: JwsEngine;
  clock: Clock;
  ids: Ids;
}

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

const stateOf = (row: CaseRow): CaseState =>
  (row.stateDetail as CaseState | null) ?? initialCaseState(row.role as Side, (row.delivery as { method?: CaseState['delivery'] }).method);

/** Where the event goes: the other side's member, at the ref that member knows the case by. */
function peerOf(row: CaseRow): { to: string; path: string } {
  if (row.role === 'handling') return { to: row.intakeMember, path: `/federation/v1/cases/${row.ref}/events` };
  if (!row.remoteRef) throw new AppError('invalid_transition', `case ${row.ref} has not been transferred yet: the handling member has no ref for it`);
  return { to: row.handlingMember, path: `/federation/v1/cases/${row.remoteRef}/events` };
}

/**
 * A clerk of this member moves one of its cases (a member without a back office handles cases here):
 * the clerk speaks for the case's side. In one transaction, under the case's row lock: the state machine
 * (403 wrong side, 409 invalid_transition), the timeline row, the new state, and the same §7.2 event in
 * the outbox for the other side, so the event is sent exactly when it is recorded.
 */
export async function postClerkEvent({ ctx, input }: { ctx: ClerkEventCtx; input: { clerk: ClerkIdentity; ref: string; body: ClerkEventBody } }): Promise<ClerkEventAnswer> {
  const { clerk } = input;
  const found = await findClerkCase(ctx.db, input.ref, clerk);
  if (!found) throw new AppError('not_found', `no case ${input.ref}`);
  if (clerk.role !== found.role) throw new AppError('not_authorized', `${found.role} cases are moved by ${found.role} clerks; clerk ${clerk.id} is ${clerk.role}`);
  const event = { ...input.body, eventId: ctx.ids.make('ev'), at: new Date(ctx.clock.now()).toISOString() } as CaseEvent;
  const supplements = event.type === 'supplement_provided' ? await checkMaterials(ctx, event.data, 'data.materials') : [];
  const contentHash = hex(await ctx.engine.sha256(utf8(JSON.stringify(event))));
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(cases).where(eq(cases.ref, found.ref)).for('update');
    const side = row!.role as Side;
    const peer = peerOf(row!);
    const result = applyEvent(stateOf(row!), event, side);
    if (!result.ok) throw new AppError(result.code, result.reason);
    const now = new Date(ctx.clock.now());
    await tx.insert(caseEvents).values({
      id: ctx.ids.make('ev'), caseRef: row!.ref, eventId: event.eventId, type: event.type, at: new Date(event.at), note: event.note ?? null,
      data: event.type === 'supplement_provided' ? { materials: event.data.materials.map(({ content: _content, ...m }) => m) } : (event.data ?? null),
      side, sender: clerk.member, contentHash, statusAfter: result.state.status, recordedAt: now,
    });
    await tx.update(cases).set({ state: result.state.status, stateDetail: result.state, updatedAt: now }).where(eq(cases.ref, row!.ref));
    if (event.type === 'supplement_provided' && supplements.length) {
      const [{ next }] = (await tx.select({ next: sql<number>`coalesce(max(${caseMaterials.position}) + 1, 0)` }).from(caseMaterials).where(eq(caseMaterials.caseRef, row!.ref))) as [{ next: number }];
      await tx.insert(caseMaterials).values(event.data.materials.map((m, i) => ({
        caseRef: row!.ref, position: Number(next) + i, requirement: m.requirement, name: m.name, mediaType: m.mediaType, size: m.size, sha256: m.sha256, content: supplements[i]!,
      })));
    }
    const message = await enqueueMessage(tx, { kind: 'case_event', caseRef: row!.ref, to: peer.to, method: 'POST', path: peer.path, body: event }, ctx);
    return { eventId: event.eventId, status: result.state.status, messageId: message.id };
  });
}

/** A case's timeline for a clerk who may see the case: every event, whichever side sent it, in order. */
export async function clerkCaseTimeline({ ctx, input }: { ctx: { db: Db }; input: { clerk: ClerkIdentity; ref: string } }) {
  const row = await findClerkCase(ctx.db, input.ref, input.clerk);
  if (!row) throw new AppError('not_found', `no case ${input.ref}`);
  const events = await ctx.db.select().from(caseEvents).where(eq(caseEvents.caseRef, row.ref)).orderBy(asc(caseEvents.recordedAt), asc(caseEvents.id));
  return {
    caseRef: row.ref, role: row.role as Side, status: row.state as CaseStatus,
    timeline: events.map((e) => ({
      eventId: e.eventId, type: e.type as EventType, at: e.at.toISOString(), side: e.side as Side, sender: e.sender, status: e.statusAfter as CaseStatus,
      ...(e.note ? { note: e.note } : {}), ...(e.data ? { data: e.data as Record<string, unknown> } : {}),
    })),
  };
}
