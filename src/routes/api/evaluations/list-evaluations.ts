import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { listEvaluations } from '../../../services/evaluations/list-evaluations';
import { evaluationCtxOf } from '../../../services/evaluations/schema';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest } from '../schema';
import { evaluationPageSchema, evaluationQuery } from './schema';

/** `GET /api/v1/evaluations`: every evaluation this member holds, filtered, newest first, a page at a time. */
export function registerListEvaluations(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/evaluations', operationId: 'listEvaluations', tags: ['evaluations'],
    summary: "This member's evaluations (好差评), newest first", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { query: evaluationQuery },
    responses: {
      200: { description: 'a page of evaluations, each with its case\'s item and case number', content: { 'application/json': { schema: evaluationPageSchema } } },
      400: invalidRequest,
      ...clerkProblems,
    },
  });
  api.openapi(route, async (c) => {
    const { bad, ...filter } = c.req.valid('query');
    return c.json(await listEvaluations({ ctx: evaluationCtxOf(deps), input: { ...filter, bad: bad === 'true' } }), 200);
  });
}
