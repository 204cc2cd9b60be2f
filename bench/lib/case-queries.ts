import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Db } from '../../src/db/client';
import * as schema from '../../src/db/schema/index';
import { addDays, chinaDay } from '../../src/services/calendar/china-day';
import { listCases, type CaseListFilter } from '../../src/services/cases/intake/find-case';
import type { ClerkIdentity } from '../../src/services/clerks/schema';
import { SEED_MEMBERS } from './case-seed';

export interface CaseQuery {
  name: string;
  /** Which clerk asks: the supervisor reads every case of the member, the intake clerk those of its window. */
  clerk: 'supervisor' | 'intake';
  params: Record<string, string>;
}

/** Values picked from the big database, so the searches find something there. */
export interface QueryValues {
  item: string;
  fullName: string;
  /** Two characters: a common name (王芳) and a rarer one; pg_trgm has no trigram to index in either. */
  shortName: string;
  rareShortName: string;
  caseId: string;
}

/** The clerk API's case list and search, one query per filter the console offers. */
export function caseQueries(v: QueryValues, now: Date): CaseQuery[] {
  const today = chinaDay(now.getTime());
  return [
    { name: 'no filter (supervisor)', clerk: 'supervisor', params: {} },
    { name: 'no filter (intake clerk, own window)', clerk: 'intake', params: {} },
    { name: 'state=accepted', clerk: 'supervisor', params: { state: 'accepted' } },
    { name: 'overdue=true', clerk: 'supervisor', params: { overdue: 'true' } },
    { name: `item=${v.item}`, clerk: 'supervisor', params: { item: v.item } },
    { name: `member=${SEED_MEMBERS[1]}`, clerk: 'supervisor', params: { member: SEED_MEMBERS[1]! } },
    { name: 'from/to (one month, 3 months ago)', clerk: 'supervisor', params: { from: addDays(today, -100), to: addDays(today, -70) } },
    { name: 'q=full name (3 chars)', clerk: 'supervisor', params: { q: v.fullName } },
    { name: 'q=common name (2 chars)', clerk: 'supervisor', params: { q: v.shortName } },
    { name: 'q=rarer name (2 chars)', clerk: 'supervisor', params: { q: v.rareShortName } },
    { name: 'q=case id', clerk: 'supervisor', params: { q: v.caseId } },
  ];
}

export const queryPath = (q: CaseQuery) => `/api/v1/cases${Object.keys(q.params).length ? `?${new URLSearchParams(q.params).toString()}` : ''}`;

/** The filter GET /api/v1/cases builds from the same parameters (routes/api/cases/list-cases.ts). */
function filterOf(params: Record<string, string>): CaseListFilter {
  const { overdue, item, ...rest } = params;
  return { ...rest, ...(item ? { itemCode: item } : {}), overdue: overdue === 'true' } as CaseListFilter;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the SQL listCases sends for `q`: run here through drizzle on a client
 * that records the statement, then explained on the same database. Returns the plan's node lines.
 */
export async function explainQuery(url: string, q: CaseQuery, clerk: ClerkIdentity, now: Date): Promise<string[]> {
  let captured: { query: string; params: unknown[] } | null = null;
  const client = postgres(url, { max: 1, onnotice: () => {}, debug: (_c, query, params) => {
    // The first statements on a new connection are postgres.js's own (types); the list is the one on cases.
    if (query.includes('from "cases"')) captured ??= { query, params: params as unknown[] };
  } });
  try {
    const db = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Db;
    await listCases(db, clerk, filterOf(q.params), now.getTime());
    if (!captured) return ['(no statement captured)'];
    const { query, params } = captured as { query: string; params: unknown[] };
    const rows = await client.unsafe(`explain (analyze, buffers) ${query}`, params as never[]);
    return rows.map((r) => String(r['QUERY PLAN'])).filter((l) => !/^\s+(Output|Buffers|Planning:)/.test(l));
  } finally {
    await client.end({ timeout: 1 });
  }
}

/** The plan's main nodes in one line: scans and sorts with their index names, and the execution time. */
export function planSummary(lines: string[]): string {
  const nodes = lines.filter((l) => /Scan|Sort|Limit|BitmapOr|Gather/.test(l) && !/Sort (Key|Method)/.test(l)).map((l) => l.trim().replace(/^->\s*/, '').replace(/\s+\(cost=.*$/, ''));
  const time = lines.find((l) => l.startsWith('Execution Time'))?.replace('Execution Time: ', '') ?? '?';
  return `${nodes.join(' > ')}  [${time}]`;
}
