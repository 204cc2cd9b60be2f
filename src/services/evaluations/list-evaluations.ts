import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { cases, evaluationFollowups, evaluations } from '../../db/schema/index';
import { AppError } from '../../lib/errors';
import { endOfChinaDay, isDay, startOfChinaDay } from '../calendar/china-day';
import type { ClerkIdentity } from '../clerks/schema';
import { decodeCursor, encodeCursor } from '../supervision/cursor';
import { findReadableCase, stepsOf } from './case-access';
import type { EvaluationCtx, EvaluationStage } from './schema';
import { evaluationView, followUpsOf, type EvaluationView } from './view';

export const EVALUATION_PAGE = { default: 50, max: 200 } as const;

/**
 * The evaluations of a case a clerk may read, oldest first; for a joint case those of its steps too (the
 * step members forward theirs to the step's case), each naming its case.
 */
export async function caseEvaluations({ ctx, input }: { ctx: EvaluationCtx; input: { clerk: ClerkIdentity; ref: string } }): Promise<EvaluationView[]> {
  const row = await findReadableCase(ctx.db, input.ref, input.clerk);
  if (!row) throw new AppError('not_found', `no case ${input.ref}`);
  const refs = [row.ref, ...(await stepsOf(ctx.db, row)).map((s) => s.ref)];
  const rows = await ctx.db.select().from(evaluations).where(inArray(evaluations.caseRef, refs)).orderBy(asc(evaluations.at), asc(evaluations.id));
  const followUps = await followUpsOf(ctx.db, rows.map((r) => r.id));
  const now = ctx.clock.now();
  return Promise.all(rows.map((r) => evaluationView(ctx.sealer, r, followUps.get(r.id) ?? null, now)));
}

export interface EvaluationFilter {
  stage?: EvaluationStage;
  score?: number;
  /** Only 差评 (score 1 or 2). */
  bad?: boolean;
  /** open: not closed yet; overdue: not closed, and a callback or remedy still undone past its time; closed. */
  followUp?: 'open' | 'overdue' | 'closed';
  /** A China date (`YYYY-MM-DD`, the whole day) or an instant; on the evaluation's `at`, both ends included. */
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export type ListedEvaluation = EvaluationView & { itemCode: string; caseId: string };

const bound = (value: string, end: boolean): Date => new Date(isDay(value) ? (end ? endOfChinaDay(value) - 1 : startOfChinaDay(value)) : Date.parse(value));

function followUpCondition(filter: EvaluationFilter['followUp'], now: Date): SQL | undefined {
  const f = evaluationFollowups;
  if (filter === 'closed') return eq(f.state, 'closed');
  if (filter === 'open') return ne(f.state, 'closed');
  if (filter === 'overdue') return and(ne(f.state, 'closed'), or(and(isNull(f.calledBackAt), lt(f.callbackDueAt, now)), and(isNull(f.remediedAt), lt(f.remedyDueAt, now))));
  return undefined;
}

/**
 * Every evaluation this member holds (given to it, or forwarded by the other member of a case), newest
 * first, a page at a time, with the case's item and the intake member's case number.
 */
export async function listEvaluations({ ctx, input }: { ctx: EvaluationCtx; input: EvaluationFilter }): Promise<{ evaluations: ListedEvaluation[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(input.limit ?? EVALUATION_PAGE.default, 1), EVALUATION_PAGE.max);
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const now = ctx.clock.now();
  const rows = await ctx.db.select({ evaluation: evaluations, followUp: evaluationFollowups, itemCode: cases.itemCode, caseId: cases.intakeCaseId })
    .from(evaluations)
    .innerJoin(cases, eq(cases.ref, evaluations.caseRef))
    .leftJoin(evaluationFollowups, eq(evaluationFollowups.evaluationId, evaluations.id))
    .where(and(
      input.stage ? eq(evaluations.stage, input.stage) : undefined,
      input.score ? eq(evaluations.score, input.score) : undefined,
      input.bad ? lte(evaluations.score, 2) : undefined,
      followUpCondition(input.followUp, new Date(now)),
      input.from ? gte(evaluations.at, bound(input.from, false)) : undefined,
      input.to ? lte(evaluations.at, bound(input.to, true)) : undefined,
      after ? sql`(${evaluations.at}, ${evaluations.id}) < (${new Date(after.at).toISOString()}::timestamptz, ${after.id})` : undefined,
    ))
    .orderBy(desc(evaluations.at), desc(evaluations.id)).limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    evaluations: await Promise.all(page.map(async (r) => ({ ...(await evaluationView(ctx.sealer, r.evaluation, r.followUp, now)), itemCode: r.itemCode, caseId: r.caseId }))),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.evaluation.at.getTime(), id: last.evaluation.id }) : null,
  };
}
