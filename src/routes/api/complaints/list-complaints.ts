import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { listComplaints } from '../../../services/complaints/list-complaints';
import { complaintCtxOf } from '../../../services/complaints/rules';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest } from '../schema';
import { complaintListQuery, complaintListSchema } from './schema';

/** `GET /api/v1/complaints`: the member's complaints for any of its clerks, newest first, filtered. */
export function registerListComplaints(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/complaints', operationId: 'listComplaints', tags: ['complaints'],
    summary: "The member's complaints by state, channel, category, or overdue, the most recently received first", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { query: complaintListQuery },
    responses: {
      200: { description: 'a page of complaints, without their events', content: { 'application/json': { schema: complaintListSchema } } },
      400: invalidRequest,
      ...clerkProblems,
    },
  });
  api.openapi(route, async (c) => {
    const { overdue, ...q } = c.req.valid('query');
    return c.json(await listComplaints({ ctx: complaintCtxOf(deps), input: { ...q, overdue: overdue === 'true' } }), 200);
  });
}
