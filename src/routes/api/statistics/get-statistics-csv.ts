import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { statisticsCsv } from '../../../services/statistics/csv';
import { getStatistics, statisticsCtxOf } from '../../../services/statistics/get-statistics';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest } from '../schema';
import { statisticsQuery } from './schema';

/** `GET /api/v1/statistics.csv`: the same figures as a download Excel opens (BOM, Chinese headers). */
export function registerGetStatisticsCsv(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/statistics.csv', operationId: 'getStatisticsCsv', tags: ['statistics'],
    summary: 'The statistics as CSV: UTF-8 with a BOM, CRLF, Chinese headers, one section per table', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { query: statisticsQuery },
    responses: {
      200: { description: 'the figures as CSV, as an attachment', content: { 'text/csv': { schema: z.string() } } },
      400: invalidRequest,
      ...clerkProblems,
    },
  });
  api.openapi(route, async (c) => {
    const stats = await getStatistics({ ctx: statisticsCtxOf(deps), input: c.req.valid('query') });
    return c.body(statisticsCsv(stats), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="statistics-${stats.from}-${stats.to}.csv"`,
    });
  });
}
