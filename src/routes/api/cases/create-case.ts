import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { createIntakeCase } from '../../../services/cases/intake/create-case';
import type { NewIntakeCase } from '../../../services/cases/intake/types';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, roleProblem } from '../schema';
import { caseCtxOf } from '../../../services/cases/case-ctx';
import { intakeCaseSchema, newIntakeCaseSchema } from './schema';

/** `POST /api/v1/cases`: an intake clerk takes in a case at the window. */
export function registerCreateCase(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/cases', operationId: 'createCase', tags: ['cases'],
    summary: 'Take in a case for a catalog item and mode', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake'] })] as const,
    request: { body: { required: true, content: { 'application/json': { schema: newIntakeCaseSchema } } } },
    responses: {
      201: { description: 'the new case, state intake (a joint case with its steps, pending)', content: { 'application/json': { schema: intakeCaseSchema } } },
      400: { ...invalidRequest, description: 'a field is not valid, the item is not in the catalog, or it is not offered in that mode; for a joint case, steps missing, a cycle or an unknown dependency, or a member that does not handle the item jointly (`invalid_request`, each in `errors[]`)' },
      ...clerkProblems,
      403: roleProblem,
    },
  });
  api.openapi(route, async (c) => {
    const view = await createIntakeCase({ ctx: caseCtxOf(deps), input: { clerk: c.get('clerk'), body: c.req.valid('json') as NewIntakeCase } });
    return c.json(view, 201);
  });
}
