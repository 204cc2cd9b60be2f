import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { caseEvents, cases } from '../../db/schema/index';
import { hex, utf8 } from '../../lib/encoding';
import { AppError } from '../../lib/errors';
import type { CaseCtx } from './case-ctx';
import { EVENT_TYPES, type CaseEvent, type Side } from './events-schema';
import { checkMaterials } from './receive-transfer';
import { recordTransition } from './record-transition';
import type { CaseStatus } from './state-machine';

export const CASE_REF = /^cs_[A-Za-z0-9_-]{16}$/;

type CaseRow = typeof cases.$inferSelect;

/**
 * The case `{ref}` names, as `member` may see it: on the handling side our ref, sent to us by `member`;
 * on the intake side the handling member's ref from its receipt, when `member` is that handling member.
 * Anyone else gets null, so the caller answers 404 and nothing leaks about the case's existence (§7).
 */
export async function findVisibleCase(db: Db, ref: string, member: string): Promise<{ row: CaseRow; senderSide: Side } | null> {
  if (!CASE_REF.test(ref)) return null;
  const [handling] = await db.select().from(cases).where(and(eq(cases.role, 'handling'), eq(cases.ref, ref), eq(cases.intakeMember, member)));
  if (handling) return { row: handling, senderSide: 'intake' };
  const [intake] = await db.select().from(cases).where(and(eq(cases.role, 'intake'), eq(cases.remoteRef, ref), eq(cases.handlingMember, member)));
  return intake ? { row: intake, senderSide: 'handling' } : null;
}

/**
 * §7.2: applies an event from the other side under the case's row lock. The same eventId with the same
 * content answers the status it led to; with other content, 409 idempotency_conflict; a wrong side 403;
 * a type the case's state does not allow 409 invalid_transition.
 */
export async function receiveCaseEvent({ ctx, input }: { ctx: CaseCtx; input: { from: string; ref: string; event: CaseEvent } }): Promise<{ eventId: string; status: CaseStatus; ownRef: string }> {
  const visible = await findVisibleCase(ctx.db, input.ref, input.from);
  if (!visible) throw new AppError('not_found', `no case ${input.ref}`);
  const { event } = input;
  const contentHash = hex(await ctx.engine.sha256(utf8(JSON.stringify(event))));
  const supplements = event.type === 'supplement_provided' ? await checkMaterials(ctx, event.data, 'data.materials') : [];
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(cases).where(eq(cases.ref, visible.row.ref)).for('update');
    const [seen] = await tx.select().from(caseEvents).where(and(eq(caseEvents.caseRef, row!.ref), eq(caseEvents.eventId, event.eventId)));
    if (seen) {
      if (seen.contentHash !== contentHash) throw new AppError('idempotency_conflict', `event ${event.eventId} was already received with other content`);
      return { eventId: event.eventId, status: seen.statusAfter as CaseStatus, ownRef: row!.ref };
    }
    const done = await recordTransition(tx, ctx, { row: row!, event, side: visible.senderSide, sender: input.from, contentHash, supplements });
    return { eventId: done.eventId, status: done.status, ownRef: row!.ref };
  });
}

/** `GET /federation/v1/cases/{ref}`: status and timeline, for the member on the other side of the case. */
export async function caseStatus({ ctx, input }: { ctx: { db: Db }; input: { from: string; ref: string } }) {
  const visible = await findVisibleCase(ctx.db, input.ref, input.from);
  if (!visible) throw new AppError('not_found', `no case ${input.ref}`);
  const { row } = visible;
  // Only §7.2 events: this member's local steps (a supplement passed to its back office, joint bookkeeping) are its own.
  const timeline = await ctx.db.select().from(caseEvents).where(and(eq(caseEvents.caseRef, row.ref), inArray(caseEvents.type, [...EVENT_TYPES])))
    .orderBy(asc(caseEvents.recordedAt), asc(caseEvents.id));
  return {
    /** This member's own ref of the case, for its evidence (not part of the answer). */
    ownRef: row.ref,
    caseRef: input.ref, caseId: row.intakeCaseId, itemCode: row.itemCode, mode: row.mode, status: row.state,
    receivedAt: row.receivedAt?.toISOString() ?? null, receiptId: row.receiptId,
    timeline: timeline.map((e) => ({ eventId: e.eventId, type: e.type, at: e.at.toISOString(), side: e.side, status: e.statusAfter, ...(e.note ? { note: e.note } : {}), ...(e.data ? { data: e.data } : {}) })),
  };
}
