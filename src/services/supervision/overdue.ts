import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { cases } from '../../db/schema/index';
import type { WorkingCalendar } from '../calendar/calendar';
import { DEADLINE_STATUSES, type Hop } from '../cases/clocks';
import type { Side } from '../cases/events-schema';
import { HOP_BY_STATUS, type CaseStatus } from '../cases/state-machine';
import { decodeCursor, encodeCursor } from './cursor';

export interface OverdueCase {
  ref: string;
  caseId: string;
  item: string;
  side: Side;
  status: CaseStatus;
  hop: Hop | null;
  /** Which time ran out first: the hop's SLA or the item's deadline. */
  late: 'hop' | 'deadline';
  dueAt: string;
  hopDueAt: string | null;
  deadlineAt: string | null;
  overdueHours: number;
  /** Working days since the day it was due (0: due earlier today). */
  overdueWorkingDays: number;
}

export interface OverduePage {
  cases: OverdueCase[];
  nextCursor: string | null;
}

export const OVERDUE_PAGE = { default: 50, max: 200 } as const;

/** The time that ran out first: the hop's, or the item's deadline while it runs (until the decision). */
const dueOf = sql`least(${cases.hopDueAt}, case when ${inArray(cases.state, [...DEADLINE_STATUSES])} then ${cases.deadlineAt} end)`;

/** The cases this member holds: those it took in (intake) and those sent to it (handling). */
export const heldBy = (selfId: string) =>
  or(and(eq(cases.role, 'handling'), eq(cases.handlingMember, selfId)), and(eq(cases.role, 'intake'), eq(cases.intakeMember, selfId)));

/** Overdue at `now` (ISO): the hop or the deadline has passed while the clock runs (补正 pauses it). Also the statistics' `overdue`. */
export const overdueAt = (now: string) => and(ne(cases.state, 'supplement_requested'), sql`${dueOf} < ${now}::timestamptz`);

/**
 * For supervisors: this member's cases, on either side, whose hop or deadline has passed while the clock
 * runs (a case waiting for supplements, 补正, is paused and left out), the most overdue first.
 */
export async function listOverdueCases({ ctx, input }: {
  ctx: { db: Db; selfId: string; calendar: WorkingCalendar };
  input: { now: number; limit?: number; cursor?: string };
}): Promise<OverduePage> {
  const limit = Math.min(Math.max(input.limit ?? OVERDUE_PAGE.default, 1), OVERDUE_PAGE.max);
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const now = new Date(input.now).toISOString();
  const rows = await ctx.db.select({
    ref: cases.ref, caseId: cases.intakeCaseId, item: cases.itemCode, role: cases.role, state: cases.state,
    hopDueAt: cases.hopDueAt, deadlineAt: cases.deadlineAt, due: dueOf.mapWith(cases.hopDueAt),
  }).from(cases).where(and(
    heldBy(ctx.selfId),
    overdueAt(now),
    after ? sql`(${dueOf}, ${cases.ref}) > (${new Date(after.at).toISOString()}::timestamptz, ${after.id})` : undefined,
  )).orderBy(asc(dueOf), asc(cases.ref)).limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    cases: page.map((r) => overdueCase(r as typeof r & { due: Date }, input.now, ctx.calendar)),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: (last.due as Date).getTime(), id: last.ref }) : null,
  };
}

function overdueCase(r: { ref: string; caseId: string; item: string; role: string; state: string; hopDueAt: Date | null; deadlineAt: Date | null; due: Date }, now: number, calendar: WorkingCalendar): OverdueCase {
  const status = r.state as CaseStatus;
  return {
    ref: r.ref, caseId: r.caseId, item: r.item, side: r.role as Side, status, hop: HOP_BY_STATUS[status] ?? null,
    late: r.hopDueAt?.getTime() === r.due.getTime() ? 'hop' : 'deadline',
    dueAt: r.due.toISOString(), hopDueAt: r.hopDueAt?.toISOString() ?? null, deadlineAt: r.deadlineAt?.toISOString() ?? null,
    overdueHours: Math.floor((now - r.due.getTime()) / 360_000) / 10,
    overdueWorkingDays: Math.max(0, calendar.workingDaysBetween(r.due.getTime() - 1, now)),
  };
}
