import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { listOverdueCases } from '../../../services/supervision/overdue';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, roleProblem } from '../schema';
import { overdueListSchema, overdueQuery } from './schema';

/** `GET /api/v1/supervision/overdue`: for supervisors, the member's cases past their hop or deadline. */
export function registerListOverdue(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/supervision/overdue', operationId: 'listOverdueCases', tags: ['supervision'],
    summary: "This member's overdue cases, the most overdue first", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['supervisor'] })] as const,
    request: { query: overdueQuery },
    responses: {
      200: { description: 'a page of overdue cases', content: { 'application/json': { schema: overdueListSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: roleProblem,
    },
  });
  api.openapi(route, async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const page = await listOverdueCases({
      ctx: { db: deps.database.db, selfId: deps.self.memberId, calendar: deps.calendar },
      input: { now: deps.clock.now(), ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) },
    });
    return c.json(page, 200);
  });
}
