import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { getComplaint } from '../../../services/complaints/list-complaints';
import { complaintCtxOf } from '../../../services/complaints/rules';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound } from '../schema';
import { complaintParams, complaintSchema } from './schema';

/** `GET /api/v1/complaints/{id}`: one complaint with its history. */
export function registerGetComplaint(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/complaints/{id}', operationId: 'getComplaint', tags: ['complaints'],
    summary: 'A complaint with its events (received, escalated, replied, closed)', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { params: complaintParams },
    responses: {
      200: { description: 'the complaint', content: { 'application/json': { schema: complaintSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      404: notFound,
    },
  });
  api.openapi(route, async (c) => {
    const complaint = await getComplaint({ ctx: complaintCtxOf(deps), input: c.req.valid('param') });
    return c.json(complaint, 200);
  });
}
