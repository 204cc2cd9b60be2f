import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { caseCompleteness } from '../../../services/cases/intake/completeness';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { caseCtxOf } from '../../../services/cases/case-ctx';
import { completenessSchema, intakeCaseParams } from './schema';

/** `GET /api/v1/cases/{ref}/completeness`: what the case still lacks, as one 一次性告知 notice. */
export function registerGetCompleteness(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/cases/{ref}/completeness', operationId: 'getCaseCompleteness', tags: ['cases'],
    summary: "The case's materials against the item's list (一次性告知)", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'supervisor'] })] as const,
    request: { params: intakeCaseParams },
    responses: {
      200: { description: 'what is missing', content: { 'application/json': { schema: completenessSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: roleProblem,
      404: notFound,
      409: { ...notFound, description: "the case's item is no longer in the catalog (`invalid_transition`)" },
    },
  });
  api.openapi(route, async (c) => {
    const { ref } = c.req.valid('param');
    return c.json(await caseCompleteness({ ctx: caseCtxOf(deps), input: { clerk: c.get('clerk'), ref } }), 200);
  });
}
