import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { closeComplaint } from '../../../services/complaints/answer-complaint';
import { complaintCtxOf } from '../../../services/complaints/rules';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { complaintParams, complaintSchema } from './schema';

/** `POST /api/v1/complaints/{id}/close`: a supervisor closes a replied complaint. */
export function registerCloseComplaint(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/complaints/{id}/close', operationId: 'closeComplaint', tags: ['complaints'],
    summary: 'Close a replied complaint (replied -> closed)', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['supervisor'] })] as const,
    request: { params: complaintParams },
    responses: {
      200: { description: 'the complaint, closed', content: { 'application/json': { schema: complaintSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: roleProblem,
      404: notFound,
      409: { ...notFound, description: 'the complaint has not been replied to, or is closed already (`invalid_transition`)' },
    },
  });
  api.openapi(route, async (c) => {
    const complaint = await closeComplaint({ ctx: complaintCtxOf(deps), input: { clerk: c.get('clerk'), id: c.req.valid('param').id } });
    return c.json(complaint, 200);
  });
}
