import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { getStatistics, statisticsCtxOf } from '../../../services/statistics/get-statistics';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest } from '../schema';
import { statisticsQuery, statisticsSchema } from './schema';

/** `GET /api/v1/statistics`: the member's figures, for every clerk and supervisor of the member. */
export function registerGetStatistics(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/statistics', operationId: 'getStatistics', tags: ['statistics'],
    summary: 'Cases, decisions, overdue cases, handling time and evaluations (好差评) for a period, by item, member, mode and month', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { query: statisticsQuery },
    responses: {
      200: { description: 'the figures and their definitions', content: { 'application/json': { schema: statisticsSchema } } },
      400: invalidRequest,
      ...clerkProblems,
    },
  });
  api.openapi(route, async (c) => {
    const stats = await getStatistics({ ctx: statisticsCtxOf(deps), input: c.req.valid('query') });
    return c.json(stats, 200);
  });
}
