import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { listIntakeCases } from '../../../services/cases/intake/find-case';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, roleProblem } from '../schema';
import { intakeCaseListSchema } from './schema';

/** `GET /api/v1/cases`: the intake cases of the clerk's window; a supervisor sees the member's. */
export function registerListCases(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/cases', operationId: 'listCases', tags: ['cases'],
    summary: "The intake cases of the clerk's window (a supervisor: of the member)", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'supervisor'] })] as const,
    responses: {
      200: { description: 'the cases, newest first (at most 100), without their materials', content: { 'application/json': { schema: intakeCaseListSchema } } },
      ...clerkProblems,
      403: roleProblem,
    },
  });
  api.openapi(route, async (c) => c.json(await listIntakeCases(deps.database.db, c.get('clerk')), 200));
}
