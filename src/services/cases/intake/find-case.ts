import { and, asc, desc, eq, gte, ilike, isNull, lt, or, sql } from 'drizzle-orm';
import { overdueAt } from '../../supervision/overdue';
import { endOfChinaDay, startOfChinaDay, type Day } from '../../calendar/china-day';
import { clockView } from '../clocks';
import type { Side } from '../events-schema';
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
 * Who may read a case: intake cases as above; handling cases (sent to this member to decide, taken in at
 * no window of ours) by the member's handling clerks; a supervisor reads both.
 */
const readableBy = (clerk: ClerkIdentity) => {
  const handling = and(eq(cases.role, 'handling'), eq(cases.handlingMember, clerk.member));
  if (clerk.role === 'handling') return handling;
  return clerk.role === 'supervisor' ? or(visibleTo(clerk), handling) : visibleTo(clerk);
};

export interface CaseListFilter {
  role?: 'intake' | 'handling';
  state?: CaseStatus;
  /** Only cases past their hop's SLA or the item's deadline, the clock running. */
  overdue?: boolean;
  /** The other member of the case: the handling member of an intake case (of a joint case, of any step), the intake member of a handling case. */
  member?: string;
  itemCode?: string;
  /** China dates (inclusive) the case was created on. */
  from?: Day;
  to?: Day;
  /** A substring of the case ref, the intake case id or the applicant's name. */
  q?: string;
  limit?: number;
}

/**
 * The text search. From 3 characters: a substring of the ref, the case id or the name (pg_trgm GIN
 * indexes, migration 0012). Shorter (a two-character name such as 王芳): no trigram can serve a substring,
 * so it is the name's beginning or an exact ref or case id (btree indexes), which is what such a search means.
 */
function textMatch(q: string, pattern: string) {
  if ([...q].length >= 3) return or(ilike(cases.ref, pattern), ilike(cases.intakeCaseId, pattern), ilike(cases.applicantName, pattern));
  const prefix = `${pattern.slice(1)}`;
  return or(eq(cases.ref, q), eq(cases.intakeCaseId, q), sql`${cases.applicantName} like ${prefix}`);
}

/** The filters beyond role, state and overdue; undefined for each one not given. */
function narrowedBy(filter: CaseListFilter) {
  const { member } = filter;
  const q = filter.q || undefined;
  // LIKE's wildcards in the clerk's text are matched as themselves.
  const pattern = q === undefined ? '' : `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return and(
    member === undefined ? undefined : or(
      and(eq(cases.role, 'intake'), eq(cases.handlingMember, member)),
      and(eq(cases.role, 'intake'), sql`${cases.jointPlan} @> ${JSON.stringify([{ member }])}::jsonb`),
      and(eq(cases.role, 'handling'), eq(cases.intakeMember, member)),
    ),
    filter.itemCode === undefined ? undefined : eq(cases.itemCode, filter.itemCode),
    filter.from === undefined ? undefined : gte(cases.createdAt, new Date(startOfChinaDay(filter.from))),
    filter.to === undefined ? undefined : lt(cases.createdAt, new Date(endOfChinaDay(filter.to))),
    q === undefined ? undefined : textMatch(q, pattern),
  );
}

/**
 * The cases `clerk` may see, newest first. The steps of a joint case are left out: the clerk took in
 * one application, listed once; its steps are in the joint case's view (each still readable by its ref).
 */
export async function listCases(db: Db, clerk: ClerkIdentity, filter: CaseListFilter, now: number): Promise<IntakeCaseView[]> {
  const at = new Date(now);
  const rows = await db.select().from(cases).where(and(
    readableBy(clerk), isNull(cases.parentRef),
    filter.role ? eq(cases.role, filter.role) : undefined,
    filter.state ? eq(cases.state, filter.state) : undefined,
    // The supervision's rule, in SQL before the limit: a deadline stops counting at the decision.
    filter.overdue ? overdueAt(at.toISOString()) : undefined,
    narrowedBy(filter),
  )).orderBy(desc(cases.createdAt), desc(cases.ref)).limit(filter.limit ?? 100);
  return rows.map((row) => toCaseView(row, [], undefined, now));
}

/** The case `{ref}` as `clerk` may see it, with its materials and, for a joint case, its steps; null: 404. */
export async function findCaseView(db: Db, ref: string, clerk: ClerkIdentity, now: number): Promise<IntakeCaseView | null> {
  if (!CASE_REF.test(ref)) return null;
  const [row] = await db.select().from(cases).where(and(eq(cases.ref, ref), readableBy(clerk)));
  if (!row) return null;
  return toCaseView(row, await listMaterials(db, row.ref), await loadJointSteps(db, row), now);
}

/** The materials of a case, in the order they were added, without their content. */
export async function listMaterials(db: Db, ref: string): Promise<MaterialView[]> {
  return db.select({
    position: caseMaterials.position, requirement: caseMaterials.requirement, name: caseMaterials.name,
    mediaType: caseMaterials.mediaType, size: caseMaterials.size, sha256: caseMaterials.sha256,
  }).from(caseMaterials).where(eq(caseMaterials.caseRef, ref)).orderBy(asc(caseMaterials.position));
}

/** The case as the API shows it; the sealed ID number and phone never leave the row. */
export function toCaseView(row: CaseRow, materials: MaterialView[], steps: JointStepView[] | null | undefined, now: number): IntakeCaseView {
  const intake = row.intake as { window: string; clerk: string };
  return {
    ref: row.ref, role: row.role as Side, intakeMember: row.intakeMember, caseId: row.intakeCaseId, itemCode: row.itemCode, mode: row.mode, state: row.state as CaseStatus,
    applicant: { kind: row.applicantKind, name: row.applicantName, idType: row.applicantIdType },
    applicantIdMasked: row.applicantIdMasked, window: intake.window, clerk: intake.clerk,
    delivery: row.delivery as IntakeCaseView['delivery'],
    handlingMember: row.handlingMember || null, remoteRef: row.remoteRef, receiptId: row.receiptId, materialsDigest: row.materialsDigest,
    receivedAt: row.receivedAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
    materials,
    ...(row.parentRef ? { parentRef: row.parentRef, step: row.step ?? '' } : {}),
    ...(steps ? { steps } : {}),
    ...clockView(row, now),
  };
}
