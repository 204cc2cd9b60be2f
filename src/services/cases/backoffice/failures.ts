import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { cases } from '../../../db/schema/index';

/** A handling case whose back-office work failed, as a supervisor sees it: no personal data. */
export interface BackOfficeFailure {
  caseRef: string;
  itemCode: string;
  intakeMember: string;
  status: string;
  partnerRef: string | null;
  partnerState: string | null;
  error: string;
  attempts: number;
  /** When it is tried again; null: stopped, it needs a person (resume it once fixed). */
  nextAttemptAt: string | null;
  updatedAt: string;
}

/** Handling cases with a back-office error (retrying or stopped), newest first. */
export async function listBackOfficeFailures(db: Db, o: { limit?: number; stoppedOnly?: boolean } = {}): Promise<BackOfficeFailure[]> {
  const rows = await db.select({
    ref: cases.ref, itemCode: cases.itemCode, intakeMember: cases.intakeMember, state: cases.state, partnerRef: cases.partnerRef, partnerState: cases.partnerState,
    partnerError: cases.partnerError, partnerAttempts: cases.partnerAttempts, partnerNextAt: cases.partnerNextAt, updatedAt: cases.updatedAt,
  }).from(cases).where(and(eq(cases.role, 'handling'), isNotNull(cases.partnerError)))
    .orderBy(desc(cases.updatedAt), desc(cases.ref)).limit(Math.min(o.limit ?? 100, 1000));
  return rows.filter((r) => !o.stoppedOnly || r.partnerNextAt === null).map((r) => ({
    caseRef: r.ref, itemCode: r.itemCode, intakeMember: r.intakeMember, status: r.state, partnerRef: r.partnerRef, partnerState: r.partnerState,
    error: r.partnerError!, attempts: r.partnerAttempts, nextAttemptAt: r.partnerNextAt?.toISOString() ?? null, updatedAt: r.updatedAt.toISOString(),
  }));
}
