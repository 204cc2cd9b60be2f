import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { cases } from '../../../db/schema/index';
import type { CaseRow } from '../intake/types';

/**
 * Claims up to `limit` handling cases whose back-office work is due, in one statement: their
 * `partnerNextAt` moves a lease ahead and the attempt is counted before anyone calls out, so another
 * instance (SKIP LOCKED) or the next round skips them, and a worker that dies mid-call leaves the case
 * due again when the lease ends. The adapter call then runs outside any transaction (PGlite has one
 * connection; a slow partner must not hold a row lock).
 */
export async function claimDueCases(db: Db, o: { now: Date; leaseMs: number; limit: number }): Promise<CaseRow[]> {
  const due = db.select({ ref: cases.ref }).from(cases)
    .where(and(eq(cases.role, 'handling'), lte(cases.partnerNextAt, o.now)))
    .orderBy(cases.partnerNextAt).limit(o.limit).for('update', { skipLocked: true });
  const rows = await db.update(cases)
    .set({ partnerNextAt: new Date(o.now.getTime() + o.leaseMs), partnerAttempts: sql`${cases.partnerAttempts} + 1` })
    .where(inArray(cases.ref, due)).returning();
  return rows.sort((a, b) => a.ref.localeCompare(b.ref));
}

export type CaseUpdate = Partial<Pick<CaseRow, 'partnerRef' | 'partnerState' | 'partnerNextAt' | 'partnerAttempts' | 'partnerError'>>;

/** Ends a claim: applies `set` only while the lease is still ours (nobody took the case over, no withdrawal rescheduled it). */
export async function settleClaim(db: Db, claimed: CaseRow, set: CaseUpdate): Promise<boolean> {
  const lease = claimed.partnerNextAt;
  const rows = await db.update(cases).set(set)
    .where(and(eq(cases.ref, claimed.ref), lease ? eq(cases.partnerNextAt, lease) : sql`false`)).returning({ ref: cases.ref });
  return rows.length === 1;
}
