import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { createComplaint } from '../../../services/complaints/create-complaint';
import { complaintCtxOf } from '../../../services/complaints/rules';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest } from '../schema';
import { complaintSchema, newComplaintSchema } from './schema';

/** `POST /api/v1/complaints`: any clerk enters a complaint received by any channel. */
export function registerCreateComplaint(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/complaints', operationId: 'createComplaint', tags: ['complaints'],
    summary: 'Enter a complaint (投诉) received by any channel; it is due for a reply in working days', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { body: { required: true, content: { 'application/json': { schema: newComplaintSchema } } } },
    responses: {
      201: { description: 'the complaint, open, with its reply date', content: { 'application/json': { schema: complaintSchema } } },
      400: invalidRequest,
      ...clerkProblems,
    },
  });
  api.openapi(route, async (c) => {
    const complaint = await createComplaint({ ctx: complaintCtxOf(deps), input: { clerk: c.get('clerk'), body: c.req.valid('json') } });
    return c.json(complaint, 201);
  });
}
