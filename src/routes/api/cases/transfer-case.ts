import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { transferIntakeCase } from '../../../services/cases/intake/transfer-case';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { caseCtxOf } from '../../../services/cases/case-ctx';
import { intakeCaseParams, transferAnswerSchema, transferRequestSchema } from './schema';

/**
 * `POST /api/v1/cases/{ref}/transfer`: sends a complete case to its handling member (§7.1, via the outbox);
 * a joint case (多地联办) sends its first steps, each its own transfer, and the others as they become ready.
 */
export function registerTransferCase(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/cases/{ref}/transfer', operationId: 'transferCase', tags: ['cases'],
    summary: 'Transfer a complete case to the member that handles its item', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake'] })] as const,
    request: { params: intakeCaseParams, body: { required: false, content: { 'application/json': { schema: transferRequestSchema } } } },
    responses: {
      202: { description: 'queued: the case is transferring; the receipt lands on it when the outbox delivers (a joint case: on each step\'s case)', content: { 'application/json': { schema: transferAnswerSchema } } },
      400: { ...invalidRequest, description: 'several members handle the item and `to` names none of them, or is missing; `to` given for a joint case (`invalid_request`)' },
      ...clerkProblems,
      403: roleProblem,
      404: notFound,
      409: { ...notFound, description: 'the case lacks required materials (each in `errors[]`), was already transferred, no member handles it, or a joint step\'s member no longer handles it (`invalid_transition`)' },
      413: { ...notFound, description: 'the materials together are over 32 MiB (`payload_too_large`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { ref } = c.req.valid('param');
    const { to } = (c.req.valid('json') ?? {}) as { to?: string };
    const answer = await transferIntakeCase({ ctx: caseCtxOf(deps), input: { clerk: c.get('clerk'), ref, ...(to ? { to } : {}) } });
    return c.json(answer, 202);
  });
}
