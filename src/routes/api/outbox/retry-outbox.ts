import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { retryDeadMessage } from '../../../services/supervision/outbox';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { outboxEntrySchema, outboxParams } from './schema';

/** `POST /api/v1/outbox/{id}/retry`: a supervisor sends a dead message again (due now; the worker picks it up at its next poll). */
export function registerRetryOutbox(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/outbox/{id}/retry', operationId: 'retryOutboxMessage', tags: ['supervision'],
    summary: 'Send a dead message again', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['supervisor'] })] as const,
    request: { params: outboxParams },
    responses: {
      200: { description: 'the message, pending and due now', content: { 'application/json': { schema: outboxEntrySchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: roleProblem,
      404: notFound,
      409: { ...notFound, description: 'the message is not dead (`invalid_transition`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await retryDeadMessage({ ctx: { db: deps.database.db, clock: deps.clock }, input: { id } }), 200);
  });
}
