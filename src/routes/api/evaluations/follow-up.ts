import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { actOnFollowUp } from '../../../services/evaluations/follow-up';
import { evaluationCtxOf } from '../../../services/evaluations/schema';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { evaluationParams, evaluationSchema, followUpActionSchema } from './schema';

/** `POST /api/v1/evaluations/{id}/follow-up`: the next step of a 差评's follow-up (call back, remedy, close). */
export function registerFollowUp(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/evaluations/{id}/follow-up', operationId: 'followUpEvaluation', tags: ['evaluations'],
    summary: "A step of a 差评's follow-up: call_back, remedy, then close (supervisors)", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { params: evaluationParams, body: { required: true, content: { 'application/json': { schema: followUpActionSchema } } } },
    responses: {
      200: { description: 'the evaluation with its follow-up', content: { 'application/json': { schema: evaluationSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: { ...roleProblem, description: 'close by a clerk who is not a supervisor (`not_authorized`)' },
      404: notFound,
      409: { ...notFound, description: 'a step out of order, or an evaluation without a follow-up (`invalid_transition`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const { action, note } = c.req.valid('json');
    const evaluation = await actOnFollowUp({ ctx: evaluationCtxOf(deps), input: { clerk: c.get('clerk'), id, action, ...(note !== undefined ? { note } : {}) } });
    return c.json(evaluation, 200);
  });
}
