import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { AppError } from '../../../lib/errors';
import { findCaseView } from '../../../services/cases/intake/find-case';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { intakeCaseParams, intakeCaseSchema } from './schema';

/** `GET /api/v1/cases/{ref}`: one case the clerk may read; another window's (or member's) is 404, never 403. */
export function registerGetCase(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/cases/{ref}', operationId: 'getCase', tags: ['cases'],
    summary: 'One case with its materials (no content), its clocks and, for a joint case, its steps', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling', 'supervisor'] })] as const,
    request: { params: intakeCaseParams },
    responses: {
      200: { description: 'the case', content: { 'application/json': { schema: intakeCaseSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: roleProblem,
      404: { ...notFound, description: 'no such case at this clerk\'s window (`not_found`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { ref } = c.req.valid('param');
    const view = await findCaseView(deps.database.db, ref, c.get('clerk'), deps.clock.now());
    if (!view) throw new AppError('not_found', `no case ${ref}`);
    return c.json(view, 200);
  });
}
