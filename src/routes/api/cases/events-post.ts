import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv, Deps } from '../../../context';
import { postClerkEvent, type ClerkEventBody } from '../../../services/cases/clerk-events';
import { MAX_TRANSFER_BYTES } from '../../../services/cases/transfer-schema';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { caseParams, clerkEventAnswerSchema, clerkEventSchema } from './events-schema';
import { caseCtxOf } from '../../../services/cases/case-ctx';

/** `POST /api/v1/cases/{ref}/events`: a clerk of this member moves a case; the event goes to the other side. */
export function registerPostCaseEvent(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/cases/{ref}/events', operationId: 'postCaseEvent', tags: ['cases'],
    summary: 'Record a §7.2 event on a case and send it to the other side', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling'] }), bodyLimit({ maxSize: MAX_TRANSFER_BYTES })] as const,
    request: { params: caseParams, body: { required: true, content: { 'application/json': { schema: clerkEventSchema } } } },
    responses: {
      200: { description: "the event, the case's status after it, and the outbox message", content: { 'application/json': { schema: clerkEventAnswerSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: { ...roleProblem, description: "a supervisor, a clerk of the case's other role, or an event the case's side does not send (`not_authorized`)" },
      404: notFound,
      409: { ...notFound, description: 'the case\'s state does not allow the event, or it was not transferred yet (`invalid_transition`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { ref } = c.req.valid('param');
    const answer = await postClerkEvent({
      ctx: caseCtxOf(deps),
      input: { clerk: c.get('clerk'), ref, body: c.req.valid('json') as ClerkEventBody },
    });
    return c.json(answer, 200);
  });
}
