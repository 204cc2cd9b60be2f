import type { Deps } from '../../context';
import type { Db } from '../../db/client';
import type { CatalogReader } from '../catalog/offered-items';
import type { Day } from '../calendar/china-day';
import { DEFINITIONS, type Definitions } from './definitions';
import { periodOf } from './period';
import { finishedCases, periodEvaluations, receivedCases, type FinishedRow, type ReceivedRow } from './queries';

export interface Statistics {
  from: Day;
  to: Day;
  totals: {
    cases: number; finished: number; overdue: number; avgHandlingDays: number | null;
    evaluations: number; good: number; bad: number; goodRate: number | null; activeRate: number | null;
  };
  byItem: { itemCode: string; itemName: string | null; cases: number; finished: number; overdue: number }[];
  /** `member`: the other member of the cases (null: taken in, not transferred yet); `role`: this member's side. */
  byMember: { member: string | null; role: 'intake' | 'handling'; cases: number }[];
  byMode: { mode: string; cases: number }[];
  byMonth: { month: string; cases: number; finished: number; evaluations: number; good: number }[];
  definitions: Definitions;
}

export interface StatisticsCtx {
  db: Db;
  selfId: string;
  /** The catalog in force, for the items' names. */
  catalog: CatalogReader;
  clock: { now(): number };
}

export const statisticsCtxOf = (deps: Deps): StatisticsCtx => ({ db: deps.database.db, selfId: deps.self.memberId, catalog: deps.catalog, clock: deps.clock });

const ratio = (n: number, d: number, places: number): number | null => (d ? Math.round((n / d) * 10 ** places) / 10 ** places : null);
const sum = <T>(rows: readonly T[], f: (r: T) => number): number => rows.reduce((s, r) => s + f(r), 0);

/** Adds up rows by a key: the SQL groups finely once, each table is a roll-up of it. */
function rollUp<T, K extends string>(rows: readonly T[], key: (r: T) => K, f: (r: T) => number): Map<K, number> {
  const out = new Map<K, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + f(r));
  return out;
}

const byCount = <T extends { cases: number }>(a: T, b: T, name: (x: T) => string) => b.cases - a.cases || name(a).localeCompare(name(b));

/**
 * The member's figures for a period of China dates (default: the last 12 months): cases, decisions,
 * overdue cases, handling time, evaluations, by item, member, mode and month. See DEFINITIONS.
 */
export async function getStatistics({ ctx, input }: {
  ctx: StatisticsCtx;
  input: { from?: Day; to?: Day };
}): Promise<Statistics> {
  const now = ctx.clock.now();
  const period = periodOf(input, now);
  const [received, finished, evaluations, catalog] = await Promise.all([
    receivedCases(ctx.db, { selfId: ctx.selfId, period, now }), finishedCases(ctx.db, { selfId: ctx.selfId, period }),
    periodEvaluations(ctx.db, { period }), ctx.catalog.itemsInForce(new Date(now)),
  ]);
  const timed = sum(finished, (r) => r.timed);
  const totals = {
    cases: sum(received, (r) => r.cases), finished: sum(finished, (r) => r.finished), overdue: sum(received, (r) => r.overdue),
    avgHandlingDays: ratio(sum(finished, (r) => r.handlingDays), timed, 2),
    evaluations: sum(evaluations, (r) => r.evaluations), good: sum(evaluations, (r) => r.good), bad: sum(evaluations, (r) => r.bad),
    goodRate: null as number | null, activeRate: ratio(sum(finished, (r) => r.evaluated), sum(finished, (r) => r.finished), 4),
  };
  totals.goodRate = ratio(totals.good, totals.evaluations, 4);
  return {
    from: period.from, to: period.to, totals,
    byItem: byItem(received, finished).map((i) => ({ ...i, itemName: catalog.get(i.itemCode)?.name ?? null })),
    byMember: [...rollUp(received, (r) => JSON.stringify([r.role, r.member]), (r) => r.cases)].map(([key, cases]) => {
      const [role, member] = JSON.parse(key) as ['intake' | 'handling', string | null];
      return { member, role, cases };
    }).sort((a, b) => byCount(a, b, (x) => `${x.role} ${x.member ?? ''}`)),
    byMode: [...rollUp(received, (r) => r.mode, (r) => r.cases)].map(([mode, cases]) => ({ mode, cases })).sort((a, b) => byCount(a, b, (x) => x.mode)),
    byMonth: period.months.map((month) => ({
      month,
      cases: sum(received.filter((r) => r.month === month), (r) => r.cases),
      finished: sum(finished.filter((r) => r.month === month), (r) => r.finished),
      evaluations: sum(evaluations.filter((r) => r.month === month), (r) => r.evaluations),
      good: sum(evaluations.filter((r) => r.month === month), (r) => r.good),
    })),
    definitions: { ...DEFINITIONS },
  };
}

/** Items with cases received or decided in the period, the busiest first. */
function byItem(received: readonly ReceivedRow[], finished: readonly FinishedRow[]) {
  const cases = rollUp(received, (r) => r.item, (r) => r.cases);
  const overdue = rollUp(received, (r) => r.item, (r) => r.overdue);
  const done = rollUp(finished, (r) => r.item, (r) => r.finished);
  return [...new Set([...cases.keys(), ...done.keys()])]
    .map((itemCode) => ({ itemCode, cases: cases.get(itemCode) ?? 0, finished: done.get(itemCode) ?? 0, overdue: overdue.get(itemCode) ?? 0 }))
    .sort((a, b) => byCount(a, b, (x) => x.itemCode));
}
