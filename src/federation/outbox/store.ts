import { and, desc, eq, getTableColumns, gt, inArray, isNull, lt, lte, notExists, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { outboxMessages } from '../../db/schema/index';
import type { OutboxMessage, OutboxStatus } from './enqueue';

const t = outboxMessages;

const earlier = alias(outboxMessages, 'earlier');

/**
 * One statement claims up to `limit` due messages: pending ones whose time has come, and delivering
 * ones whose lease ran out (their worker died). SKIP LOCKED lets instances on one database claim side
 * by side without waiting for or taking each other's rows. A case's messages to one member go one at a
 * time, in the order they were queued: `decided` must not overtake `accepted` (the receiver would answer
 * 409, which is final). A dead message no longer holds the ones after it.
 */
export async function claimDue(db: Db, o: { now: Date; leaseMs: number; limit: number }): Promise<OutboxMessage[]> {
  const waitsForEarlier = db.select({ one: sql`1` }).from(earlier).where(and(
    eq(earlier.caseRef, t.caseRef), eq(earlier.targetMember, t.targetMember), lt(earlier.seq, t.seq), inArray(earlier.status, ['pending', 'delivering']),
  ));
  const due = db.select({ id: t.id }).from(t)
    .where(and(
      or(and(eq(t.status, 'pending'), lte(t.nextAttemptAt, o.now)), and(eq(t.status, 'delivering'), lt(t.leaseUntil, o.now))),
      or(isNull(t.caseRef), notExists(waitsForEarlier)),
    ))
    .orderBy(t.nextAttemptAt, t.seq).limit(o.limit).for('update', { skipLocked: true });
  const rows = await db.update(t)
    .set({ status: 'delivering', leaseUntil: new Date(o.now.getTime() + o.leaseMs), attempts: sql`${t.attempts} + 1` })
    .where(inArray(t.id, due)).returning();
  return rows.sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.seq - b.seq);
}

/** The claim is still ours: nobody took the message over since (that would change attempts and lease). */
function held(m: OutboxMessage): SQL {
  return and(eq(t.id, m.id), eq(t.status, 'delivering'), eq(t.attempts, m.attempts), m.leaseUntil ? eq(t.leaseUntil, m.leaseUntil) : sql`true`)!;
}

export async function markDelivered(db: Db, m: OutboxMessage, r: { now: Date; status: number; token: string | null; body: Uint8Array }): Promise<OutboxMessage | undefined> {
  const [row] = await db.update(t).set({
    status: 'delivered', deliveredAt: r.now, leaseUntil: null, lastStatus: r.status, lastError: null,
    responseStatus: r.status, responseToken: r.token, responseBody: r.body,
  }).where(held(m)).returning();
  return row;
}

export async function markRetry(db: Db, m: OutboxMessage, r: { at: Date; status: number | null; error: string }): Promise<boolean> {
  const rows = await db.update(t).set({ status: 'pending', nextAttemptAt: r.at, leaseUntil: null, lastStatus: r.status, lastError: r.error })
    .where(held(m)).returning({ id: t.id });
  return rows.length === 1;
}

export async function markDead(db: Db, m: OutboxMessage, r: { now: Date; status: number | null; error: string }): Promise<boolean> {
  const rows = await db.update(t).set({ status: 'dead', deadAt: r.now, leaseUntil: null, lastStatus: r.status, lastError: r.error })
    .where(held(m)).returning({ id: t.id });
  return rows.length === 1;
}

/** Not attempted (the member's circuit is open): back to pending, and the claim's attempt uncounted. */
export async function defer(db: Db, m: OutboxMessage, until: Date): Promise<boolean> {
  const rows = await db.update(t).set({ status: 'pending', nextAttemptAt: until, leaseUntil: null, attempts: sql`${t.attempts} - 1` })
    .where(held(m)).returning({ id: t.id });
  return rows.length === 1;
}

/** A member is reachable again: its waiting messages need not sit out their backoff. */
export async function releaseMember(db: Db, member: string, now: Date): Promise<number> {
  const rows = await db.update(t).set({ nextAttemptAt: now })
    .where(and(eq(t.targetMember, member), eq(t.status, 'pending'), gt(t.nextAttemptAt, now))).returning({ id: t.id });
  return rows.length;
}

/** By hand: a dead message goes back to pending, due now; its attempts stay counted. */
export async function reviveDead(db: Db, id: string, now: Date): Promise<OutboxMessage | undefined> {
  const [row] = await db.update(t).set({ status: 'pending', nextAttemptAt: now, deadAt: null, leaseUntil: null })
    .where(and(eq(t.id, id), eq(t.status, 'dead'))).returning();
  return row;
}

export interface OutboxFilter {
  status?: OutboxStatus;
  member?: string;
  caseRef?: string;
  /** Default 100, at most 1000; newest first. */
  limit?: number;
}

/** A message as supervisors see it: without the bodies, which may carry personal data. */
export type OutboxSummary = Omit<OutboxMessage, 'body' | 'responseBody'>;

const { body: _body, responseBody: _responseBody, ...summaryColumns } = getTableColumns(t);

export async function listMessages(db: Db, f: OutboxFilter): Promise<OutboxSummary[]> {
  const where = [
    f.status ? eq(t.status, f.status) : undefined,
    f.member ? eq(t.targetMember, f.member) : undefined,
    f.caseRef ? eq(t.caseRef, f.caseRef) : undefined,
  ].filter((c): c is SQL => c !== undefined);
  return db.select(summaryColumns).from(t).where(and(...where))
    .orderBy(desc(t.createdAt), desc(t.id)).limit(Math.min(Math.max(f.limit ?? 100, 1), 1000));
}
