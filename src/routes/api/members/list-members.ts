import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { listMembers } from '../../../services/members/list-members';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems } from '../schema';
import { memberListSchema } from './schema';

/** `GET /api/v1/members`: the alliance's members as the registry in force lists them; any clerk. */
export function registerListMembers(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/members', operationId: 'listMembers', tags: ['members'],
    summary: 'The members of the registry in force', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    responses: {
      200: { description: 'the members, in the order of the registry; [] before this gateway holds one', content: { 'application/json': { schema: memberListSchema } } },
      ...clerkProblems,
    },
  });
  api.openapi(route, (c) => c.json(listMembers({ input: { registry: deps.registry.current() } }), 200));
}
