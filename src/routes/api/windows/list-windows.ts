import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { memberWindows } from '../../../services/clerks/member-windows';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems } from '../schema';
import { windowListSchema } from './schema';

/** `GET /api/v1/windows`: this member's windows from its partner file; [] without one. */
export function registerListWindows(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/windows', operationId: 'listWindows', tags: ['windows'],
    summary: "This member's windows", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    responses: {
      200: { description: 'the windows, in the order of the partner file', content: { 'application/json': { schema: windowListSchema } } },
      ...clerkProblems,
    },
  });
  api.openapi(route, (c) => c.json(memberWindows({ ctx: { partners: deps.partners, memberId: deps.self.memberId } }), 200));
}
