import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { AppError } from '../../../lib/errors';
import { memberWindows } from '../../../services/clerks/member-windows';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound } from '../schema';
import { windowParams, windowSchema } from './schema';

/** `GET /api/v1/windows/{windowId}`: one of this member's windows. */
export function registerGetWindow(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/windows/{windowId}', operationId: 'getWindow', tags: ['windows'],
    summary: 'One window', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { params: windowParams },
    responses: {
      200: { description: 'the window', content: { 'application/json': { schema: windowSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      404: notFound,
    },
  });
  api.openapi(route, (c) => {
    const { windowId } = c.req.valid('param');
    const window = memberWindows({ ctx: { partners: deps.partners, memberId: deps.self.memberId } }).find((w) => w.id === windowId);
    if (!window) throw new AppError('not_found', `${deps.self.memberId} has no window ${windowId}`);
    return c.json(window, 200);
  });
}
