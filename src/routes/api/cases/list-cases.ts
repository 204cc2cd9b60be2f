import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { listCases } from '../../../services/cases/intake/find-case';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, roleProblem } from '../schema';
import { caseListQuery, intakeCaseListSchema } from './schema';

/** `GET /api/v1/cases`: intake clerks list their window's cases, handling clerks the cases sent to the member, supervisors both. */
export function registerListCases(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/cases', operationId: 'listCases', tags: ['cases'],
    summary: "The cases the clerk may read: intake clerks their window's, handling clerks those sent to the member, supervisors both", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling', 'supervisor'] })] as const,
    request: { query: caseListQuery },
    responses: {
      200: { description: 'the cases, newest first (at most 100), without their materials', content: { 'application/json': { schema: intakeCaseListSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: roleProblem,
    },
  });
  api.openapi(route, async (c) => {
    const { overdue, item, ...q } = c.req.valid('query');
    const filter = { ...q, ...(item ? { itemCode: item } : {}), overdue: overdue === 'true' };
    return c.json(await listCases(deps.database.db, c.get('clerk'), filter, deps.clock.now()), 200);
  });
}
