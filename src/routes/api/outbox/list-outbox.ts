import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { listOutbox } from '../../../services/supervision/outbox';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, roleProblem } from '../schema';
import { outboxListSchema, outboxQuery } from './schema';

/** `GET /api/v1/outbox?status=dead`: for supervisors, the messages to other members, newest first. */
export function registerListOutbox(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/outbox', operationId: 'listOutbox', tags: ['supervision'],
    summary: 'The outbox: messages to other members by status (dead ones need a person)', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['supervisor'] })] as const,
    request: { query: outboxQuery },
    responses: {
      200: { description: 'a page of messages, newest first, without bodies', content: { 'application/json': { schema: outboxListSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: roleProblem,
    },
  });
  api.openapi(route, async (c) => {
    const { status, limit, cursor } = c.req.valid('query');
    const page = await listOutbox({ ctx: { db: deps.database.db }, input: { ...(status ? { status } : {}), ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) } });
    return c.json(page, 200);
  });
}
