import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { cases } from '../../db/schema/index';
import type { ClerkIdentity } from '../clerks/schema';
import { CASE_REF } from '../cases/case-events';
import type { CaseRow } from '../cases/intake/types';
import { stateOf } from '../cases/record-transition';
import type { CaseState } from '../cases/state-machine';
import type { EvaluationStage } from './schema';

/**
 * Who may read a case, as `GET /api/v1/cases/{ref}` decides: an intake case by the intake clerks of the
 * window that took it in, a handling case by the member's handling clerks, both by a supervisor.
 */
export function clerkMayRead(row: CaseRow, clerk: ClerkIdentity): boolean {
  if (row.role === 'handling') return row.handlingMember === clerk.member && clerk.role !== 'intake';
  if (row.role !== 'intake' || row.intakeMember !== clerk.member) return false;
  return clerk.role === 'supervisor' || (clerk.role === 'intake' && (row.intake as { window?: unknown }).window === clerk.window);
}

/** The case `{ref}` if `clerk` may read it; null otherwise, so the caller answers 404 and nothing leaks. */
export async function findReadableCase(db: Db, ref: string, clerk: ClerkIdentity): Promise<CaseRow | null> {
  if (!CASE_REF.test(ref)) return null;
  const [row] = await db.select().from(cases).where(eq(cases.ref, ref));
  return row && clerkMayRead(row, clerk) ? row : null;
}

/** The steps of a joint case (intake side); none for any other case. */
export async function stepsOf(db: Db, row: CaseRow): Promise<CaseRow[]> {
  if (row.role !== 'intake' || !row.jointPlan) return [];
  return db.select().from(cases).where(eq(cases.parentRef, row.ref));
}

/**
 * Why the applicant cannot evaluate `stage` yet, or null. 受理 once the case was accepted (whatever came
 * after); 办结 once it was decided (an outcome exists). A joint case is accepted when any step is: it
 * sums its steps up and takes no acceptance of its own until all are done.
 */
export function stageRefusal(row: CaseRow, steps: readonly CaseRow[], stage: EvaluationStage): string | null {
  const state = stateOf(row);
  if (stage === 'accepted') {
    const accepted = state.accepted || steps.some((s) => (s.stateDetail as CaseState | null)?.accepted);
    return accepted ? null : `case ${row.ref} has not been accepted (受理) yet; it is ${row.state}`;
  }
  return state.outcome ? null : `case ${row.ref} has not been decided (办结) yet; it is ${row.state}`;
}
