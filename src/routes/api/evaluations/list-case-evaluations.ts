import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { caseEvaluations } from '../../../services/evaluations/list-evaluations';
import { evaluationCtxOf } from '../../../services/evaluations/schema';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound } from '../schema';
import { caseEvaluationsParams, evaluationListSchema } from './schema';

/** `GET /api/v1/cases/{ref}/evaluations`: a case's evaluations, given here or forwarded, for a clerk who may read it. */
export function registerListCaseEvaluations(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/cases/{ref}/evaluations', operationId: 'listCaseEvaluations', tags: ['evaluations'],
    summary: "A case's evaluations (and, for a joint case, its steps'), oldest first", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { params: caseEvaluationsParams },
    responses: {
      200: { description: 'the evaluations', content: { 'application/json': { schema: evaluationListSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      404: { ...notFound, description: 'no such case this clerk may read (`not_found`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { ref } = c.req.valid('param');
    return c.json(await caseEvaluations({ ctx: evaluationCtxOf(deps), input: { clerk: c.get('clerk'), ref } }), 200);
  });
}
