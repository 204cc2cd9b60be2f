import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { replyComplaint } from '../../../services/complaints/answer-complaint';
import { complaintCtxOf } from '../../../services/complaints/rules';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound } from '../schema';
import { complaintParams, complaintSchema, replySchema } from './schema';

/** `POST /api/v1/complaints/{id}/reply`: any clerk records the answer given to the complainant. */
export function registerReplyComplaint(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/complaints/{id}/reply', operationId: 'replyComplaint', tags: ['complaints'],
    summary: 'Record the reply to an open complaint (open -> replied); it stops the escalation', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { params: complaintParams, body: { required: true, content: { 'application/json': { schema: replySchema } } } },
    responses: {
      200: { description: 'the complaint, replied', content: { 'application/json': { schema: complaintSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      404: notFound,
      409: { ...notFound, description: 'the complaint is not open (`invalid_transition`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const complaint = await replyComplaint({ ctx: complaintCtxOf(deps), input: { clerk: c.get('clerk'), id, reply: c.req.valid('json').reply } });
    return c.json(complaint, 200);
  });
}
