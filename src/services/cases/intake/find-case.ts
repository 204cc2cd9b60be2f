import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { caseMaterials, cases } from '../../../db/schema/index';
import type { ClerkIdentity } from '../../clerks/schema';
import { CASE_REF } from '../case-events';
import { loadJointSteps, type JointStepView } from '../joint/steps-view';
import type { CaseStatus } from '../state-machine';
import type { CaseRow, IntakeCaseView, MaterialView } from './types';

/** Who may read intake cases: a clerk at the window that took the case in, or a supervisor of the member. */
const visibleTo = (clerk: ClerkIdentity) => and(
  eq(cases.role, 'intake'), eq(cases.intakeMember, clerk.member),
  clerk.role === 'supervisor' ? undefined : sql`${cases.intake}->>'window' = ${clerk.window}`,
);

/** The intake case `{ref}` if `clerk` may see it; null otherwise, so the caller answers 404 and nothing leaks. */
export async function findIntakeCase(db: Db, ref: string, clerk: ClerkIdentity, lock = false): Promise<CaseRow | null> {
  if (!CASE_REF.test(ref)) return null;
  const query = db.select().from(cases).where(and(eq(cases.ref, ref), visibleTo(clerk)));
  const [row] = lock ? await query.for('update') : await query;
  return row ?? null;
}

/**
 * The intake cases `clerk` may see, newest first. The steps of a joint case are left out: the clerk took in
 * one application, listed once; its steps are in the joint case's view (each still readable by its ref).
 */
export async function listIntakeCases(db: Db, clerk: ClerkIdentity, limit = 100): Promise<IntakeCaseView[]> {
  const rows = await db.select().from(cases).where(and(visibleTo(clerk), isNull(cases.parentRef))).orderBy(desc(cases.createdAt), desc(cases.intakeCaseId)).limit(limit);
  return rows.map((row) => toCaseView(row, []));
}

/** The case `{ref}` as `clerk` may see it, with its materials and, for a joint case, its steps; null: 404. */
export async function findIntakeCaseView(db: Db, ref: string, clerk: ClerkIdentity): Promise<IntakeCaseView | null> {
  const row = await findIntakeCase(db, ref, clerk);
  if (!row) return null;
  return toCaseView(row, await listMaterials(db, row.ref), await loadJointSteps(db, row));
}

/** The materials of a case, in the order they were added, without their content. */
export async function listMaterials(db: Db, ref: string): Promise<MaterialView[]> {
  return db.select({
    position: caseMaterials.position, requirement: caseMaterials.requirement, name: caseMaterials.name,
    mediaType: caseMaterials.mediaType, size: caseMaterials.size, sha256: caseMaterials.sha256,
  }).from(caseMaterials).where(eq(caseMaterials.caseRef, ref)).orderBy(asc(caseMaterials.position));
}

/** The case as the API shows it; the sealed ID number and phone never leave the row. */
export function toCaseView(row: CaseRow, materials: MaterialView[], steps?: JointStepView[] | null): IntakeCaseView {
  const intake = row.intake as { window: string; clerk: string };
  return {
    ref: row.ref, caseId: row.intakeCaseId, itemCode: row.itemCode, mode: row.mode, state: row.state as CaseStatus,
    applicant: { kind: row.applicantKind, name: row.applicantName, idType: row.applicantIdType },
    applicantIdMasked: row.applicantIdMasked, window: intake.window, clerk: intake.clerk,
    delivery: row.delivery as IntakeCaseView['delivery'],
    handlingMember: row.handlingMember || null, remoteRef: row.remoteRef, receiptId: row.receiptId,
    receivedAt: row.receivedAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
    materials,
    ...(row.parentRef ? { parentRef: row.parentRef, step: row.step ?? '' } : {}),
    ...(steps ? { steps } : {}),
  };
}
