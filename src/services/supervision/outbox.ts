import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { outboxMessages } from '../../db/schema/index';
import type { OutboxStatus } from '../../federation/outbox/enqueue';
import { reviveDead } from '../../federation/outbox/store';
import { AppError } from '../../lib/errors';
import { decodeCursor, encodeCursor } from './cursor';

/** An outbox message as a supervisor sees it: never its body or the answer's, which may carry personal data. */
export interface OutboxEntry {
  id: string;
  kind: string;
  caseRef: string | null;
  to: string;
  status: OutboxStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string;
  deadAt: string | null;
}

export const OUTBOX_PAGE = { default: 50, max: 200 } as const;

const t = outboxMessages;
const columns = {
  id: t.id, kind: t.kind, caseRef: t.caseRef, to: t.targetMember, status: t.status, attempts: t.attempts,
  lastStatus: t.lastStatus, lastError: t.lastError, createdAt: t.createdAt, nextAttemptAt: t.nextAttemptAt, deadAt: t.deadAt,
};
interface Row {
  id: string; kind: string; caseRef: string | null; to: string; status: string; attempts: number;
  lastStatus: number | null; lastError: string | null; createdAt: Date; nextAttemptAt: Date; deadAt: Date | null;
}

/** Field by field, so that nothing else of a full row (its body) can slip into an answer. */
const entry = (r: Row): OutboxEntry => ({
  id: r.id, kind: r.kind, caseRef: r.caseRef, to: r.to, status: r.status as OutboxStatus, attempts: r.attempts, lastStatus: r.lastStatus,
  lastError: r.lastError, createdAt: r.createdAt.toISOString(), nextAttemptAt: r.nextAttemptAt.toISOString(), deadAt: r.deadAt?.toISOString() ?? null,
});

/**
 * The outbox for supervisors, newest first, by status (`dead`: the messages that need a person). Pages
 * by `(createdAt, id)`, which the store's `listMessages` cannot, so the query is here; same columns, no body.
 */
export async function listOutbox({ ctx, input }: { ctx: { db: Db }; input: { status?: OutboxStatus; limit?: number; cursor?: string } }): Promise<{ messages: OutboxEntry[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(input.limit ?? OUTBOX_PAGE.default, 1), OUTBOX_PAGE.max);
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const rows = await ctx.db.select(columns).from(t).where(and(
    input.status ? eq(t.status, input.status) : undefined,
    after ? sql`(${t.createdAt}, ${t.id}) < (${new Date(after.at).toISOString()}::timestamptz, ${after.id})` : undefined,
  )).orderBy(desc(t.createdAt), desc(t.id)).limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { messages: page.map(entry), nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt.getTime(), id: last.id }) : null };
}

/** By hand: a dead message is due again now (its attempts stay counted); 404 unknown, 409 not dead. */
export async function retryDeadMessage({ ctx, input }: { ctx: { db: Db; clock: { now(): number } }; input: { id: string } }): Promise<OutboxEntry> {
  const [m] = await ctx.db.select({ status: t.status }).from(t).where(eq(t.id, input.id));
  if (!m) throw new AppError('not_found', `no outbox message ${input.id}`);
  if (m.status !== 'dead') throw new AppError('invalid_transition', `outbox message ${input.id} is ${m.status}, not dead: only a dead message is retried by hand`);
  const revived = await reviveDead(ctx.db, input.id, new Date(ctx.clock.now()));
  if (!revived) throw new AppError('invalid_transition', `outbox message ${input.id} is no longer dead`);
  return entry({ ...revived, to: revived.targetMember });
}
