import { and, eq, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { caseEvents, cases, evaluations } from '../../db/schema/index';
import { heldBy, overdueAt } from '../supervision/overdue';
import type { Period } from './period';

/**
 * The SQL aggregates behind the statistics. Months are China months: an instant read at UTC+8 (no daylight
 * saving since 1991, as services/calendar/china-day.ts), so 2026-01-31T16:30Z is in 2026-02.
 */
const chinaMonth = (at: SQLWrapper) => sql<string>`to_char(timezone('UTC', ${at}) + interval '8 hours', 'YYYY-MM')`;
const within = (at: SQLWrapper, p: Period) => sql`(${at} >= ${p.start.toISOString()}::timestamptz and ${at} < ${p.end.toISOString()}::timestamptz)`;
const int = (expr: SQL) => sql<number>`(${expr})::int`.mapWith(Number);

/**
 * The cases counted: those this member holds, each transfer once. A joint case (多地联办) is counted by
 * its steps, one per handling member; the joint case that groups them would count the application twice.
 */
const counted = (selfId: string) => and(heldBy(selfId), isNull(cases.jointPlan));

/** The other member of a case: the handling member of a case we took in, the intake member of one sent to us. */
const otherMember = sql<string | null>`case when ${cases.role} = 'intake' then ${cases.handlingMember} else ${cases.intakeMember} end`;

export interface ReceivedRow { item: string; mode: string; role: string; member: string | null; month: string; cases: number; overdue: number }

/** Cases received (rows created) in the period, by item, mode, side, other member and month; how many are overdue now. */
export async function receivedCases(db: Db, input: { selfId: string; period: Period; now: number }): Promise<ReceivedRow[]> {
  const month = chinaMonth(cases.createdAt);
  return db.select({
    item: cases.itemCode, mode: cases.mode, role: cases.role, member: otherMember, month,
    cases: int(sql`count(*)`), overdue: int(sql`count(*) filter (where ${overdueAt(new Date(input.now).toISOString())})`),
  }).from(cases)
    .where(and(counted(input.selfId), within(cases.createdAt, input.period)))
    .groupBy(cases.itemCode, cases.mode, cases.role, otherMember, month);
}

export interface FinishedRow { item: string; month: string; finished: number; timed: number; handlingDays: number; evaluated: number }

/** When each case first had an event of `type`: as its sender says, never later than we recorded it (as the clocks read it). */
const firstEvent = (db: Db, type: string, name: string) => db.$with(name).as(
  db.select({ ref: caseEvents.caseRef, at: sql<Date>`min(least(${caseEvents.at}, ${caseEvents.recordedAt}))`.as(`${name}_at`) })
    .from(caseEvents).where(eq(caseEvents.type, type)).groupBy(caseEvents.caseRef),
);

/**
 * Cases decided (办结, the §7.2 `decided` event) in the period, by item and month of the decision: how
 * many had an acceptance (`timed`) and the calendar days from acceptance to decision summed over them,
 * and how many the applicant evaluated (on this case, the handling member's ref, or its joint case).
 */
export async function finishedCases(db: Db, input: { selfId: string; period: Period }): Promise<FinishedRow[]> {
  const decisions = firstEvent(db, 'decided', 'decisions');
  const acceptances = firstEvent(db, 'accepted', 'acceptances');
  const month = chinaMonth(sql`${decisions.at}`);
  const evaluated = sql`exists (select 1 from ${evaluations} where ${evaluations.caseRef} in (${cases.ref}, ${cases.remoteRef}, ${cases.parentRef}))`;
  return db.with(decisions, acceptances).select({
    item: cases.itemCode, month,
    finished: int(sql`count(*)`),
    timed: int(sql`count(${acceptances.at})`),
    handlingDays: sql<number>`coalesce(sum(extract(epoch from (${decisions.at} - ${acceptances.at})) / 86400), 0)::float8`.mapWith(Number),
    evaluated: int(sql`count(*) filter (where ${evaluated})`),
  }).from(cases)
    .innerJoin(decisions, eq(decisions.ref, cases.ref))
    .leftJoin(acceptances, eq(acceptances.ref, cases.ref))
    .where(and(counted(input.selfId), within(sql`${decisions.at}`, input.period)))
    .groupBy(cases.itemCode, month);
}

export interface EvaluationRow { month: string; evaluations: number; good: number; bad: number }

/** Evaluations given in the period (by their time), by month: 好评 scores 3 to 5, 差评 1 and 2. */
export async function periodEvaluations(db: Db, input: { period: Period }): Promise<EvaluationRow[]> {
  const month = chinaMonth(evaluations.at);
  return db.select({
    month, evaluations: int(sql`count(*)`),
    good: int(sql`count(*) filter (where ${evaluations.score} between 3 and 5)`),
    bad: int(sql`count(*) filter (where ${evaluations.score} between 1 and 2)`),
  }).from(evaluations).where(within(evaluations.at, input.period)).groupBy(month);
}
