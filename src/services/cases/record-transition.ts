import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { caseEvents, caseMaterials, cases } from '../../db/schema/index';
import { enqueueMessage } from '../../federation/outbox/enqueue';
import { AppError } from '../../lib/errors';
import { afterTransition } from './after-transition';
import type { CaseCtx } from './case-ctx';
import type { CaseEvent, Side } from './events-schema';
import type { CaseRow } from './intake/types';
import { applyEvent, initialCaseState, type CaseState, type CaseStatus } from './state-machine';

export const CASE_EVENT_KIND = 'case_event';

export interface TransitionInput {
  /** The case, read under its row lock in `tx`. */
  row: CaseRow;
  event: CaseEvent;
  /** The side that sends the event. */
  side: Side;
  /** The member that sent it (this member for its own clerks and back office). */
  sender: string;
  /** Who did it: `clerk:<id>`, `back-office:<member>`; default `member:<sender>`. */
  actor?: string;
  /** hex SHA-256 of the event as sent, to tell a repeat from a conflict (§7.2). */
  contentHash: string;
  /** The decoded contents of `supplement_provided` materials, in order. */
  supplements?: Uint8Array[];
  /** Our own side's event: also queue it, in this transaction, for the member on the other side. */
  forward?: boolean;
}

export interface TransitionResult {
  eventId: string;
  status: CaseStatus;
  state: CaseState;
  /** The outbox message carrying the event to the other side, when forwarded. */
  messageId?: string;
}

export const stateOf = (row: CaseRow): CaseState =>
  (row.stateDetail as CaseState | null) ?? initialCaseState(row.role as Side, (row.delivery as { method?: CaseState['delivery'] }).method);

/** Where our side's events go: the other side's member, at the ref that member knows the case by. */
export function peerOf(row: CaseRow): { to: string; path: string } {
  if (row.role === 'handling') return { to: row.intakeMember, path: `/federation/v1/cases/${row.ref}/events` };
  if (!row.remoteRef || !row.handlingMember) throw new AppError('invalid_transition', `case ${row.ref} has not been transferred yet: the handling member has no ref for it`);
  return { to: row.handlingMember, path: `/federation/v1/cases/${row.remoteRef}/events` };
}

/**
 * One §7.2 event applied to a case, whoever sends it (the other member, our clerks, our back office):
 * the state machine (403 wrong side, 409 invalid_transition), the timeline row, the new state, any
 * supplements, the event queued for the other side when it is ours, then the clocks and joint steps
 * (after-transition.ts). All in the caller's transaction, so a case never changes half-way.
 */
export async function recordTransition(tx: Db, ctx: CaseCtx, input: TransitionInput): Promise<TransitionResult> {
  const { row, event } = input;
  const before = stateOf(row);
  const peer = input.forward ? peerOf(row) : null;
  const result = applyEvent(before, event, input.side);
  if (!result.ok) throw new AppError(result.code, result.reason);
  const now = new Date(ctx.clock.now());
  await tx.insert(caseEvents).values({
    id: ctx.ids.make('ev'), caseRef: row.ref, eventId: event.eventId, type: event.type, at: new Date(event.at), note: event.note ?? null,
    data: event.type === 'supplement_provided' ? { materials: event.data.materials.map(({ content: _content, ...m }) => m) } : (event.data ?? null),
    side: input.side, sender: input.sender, actor: input.actor ?? `member:${input.sender}`, contentHash: input.contentHash, statusAfter: result.state.status, recordedAt: now,
  });
  await tx.update(cases).set({ state: result.state.status, stateDetail: result.state, updatedAt: now }).where(eq(cases.ref, row.ref));
  if (event.type === 'supplement_provided' && input.supplements?.length) {
    const [{ next }] = (await tx.select({ next: sql<number>`coalesce(max(${caseMaterials.position}) + 1, 0)` }).from(caseMaterials).where(eq(caseMaterials.caseRef, row.ref))) as [{ next: number }];
    await tx.insert(caseMaterials).values(event.data.materials.map((m, i) => ({
      caseRef: row.ref, position: Number(next) + i, requirement: m.requirement, name: m.name, mediaType: m.mediaType, size: m.size, sha256: m.sha256, content: input.supplements![i]!,
    })));
  }
  const message = peer ? await enqueueMessage(tx, { kind: CASE_EVENT_KIND, caseRef: row.ref, to: peer.to, method: 'POST', path: peer.path, body: event }, ctx) : null;
  await afterTransition(tx, ctx, { row, event, before, after: result.state, at: now });
  return { eventId: event.eventId, status: result.state.status, state: result.state, ...(message ? { messageId: message.id } : {}) };
}
