import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { recordEvaluation } from '../../../services/evaluations/record-evaluation';
import { evaluationCtxOf } from '../../../services/evaluations/schema';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound } from '../schema';
import { caseEvaluationsParams, evaluationSchema, newEvaluationSchema } from './schema';

/** `POST /api/v1/cases/{ref}/evaluations`: an applicant's 好差评 given to this member, sent on to the other member(s) (§7.4). */
export function registerRecordEvaluation(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/cases/{ref}/evaluations', operationId: 'recordEvaluation', tags: ['evaluations'],
    summary: "Record an applicant's evaluation (好差评) of a case; a 差评 opens a follow-up", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { params: caseEvaluationsParams, body: { required: true, content: { 'application/json': { schema: newEvaluationSchema } } } },
    responses: {
      201: { description: 'the evaluation, with its follow-up when it is a 差评', content: { 'application/json': { schema: evaluationSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      404: { ...notFound, description: 'no such case this clerk may read (`not_found`)' },
      409: { ...notFound, description: 'the case has not reached the stage, or was already evaluated at it (`invalid_transition`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { ref } = c.req.valid('param');
    const evaluation = await recordEvaluation({ ctx: evaluationCtxOf(deps), input: { clerk: c.get('clerk'), ref, body: c.req.valid('json') } });
    return c.json(evaluation, 201);
  });
}
