import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { memberWindows } from '../../../services/clerks/member-windows';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems } from '../schema';
import { meSchema, type Me } from './schema';

/** `GET /api/v1/me`: who the token belongs to, at which window, for which member. */
export function registerGetMe(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/me', operationId: 'getMe', tags: ['clerks'],
    summary: 'The signed-in clerk', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    responses: {
      200: { description: 'the clerk', content: { 'application/json': { schema: meSchema } } },
      ...clerkProblems,
    },
  });
  api.openapi(route, (c) => {
    const clerk = c.get('clerk');
    const window = memberWindows({ ctx: { partners: deps.partners, memberId: clerk.member } }).find((w) => w.id === clerk.window);
    const me: Me = {
      id: clerk.id, name: clerk.name, role: clerk.role,
      window: { id: clerk.window, name: window?.name ?? null },
      member: { id: clerk.member, name: deps.registry.current()?.members.get(clerk.member)?.name ?? null },
    };
    return c.json(me, 200);
  });
}
