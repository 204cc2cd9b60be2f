import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { AppError } from '../../../lib/errors';
import { describeItem } from '../../../services/catalog/search-items';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound } from '../schema';
import { itemDetailSchema, itemParams } from './schema';

/** `GET /api/v1/items/{code}`: one item of the catalog in force, materials and all, and who offers it; any clerk. */
export function registerGetItem(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/items/{code}', operationId: 'getItem', tags: ['items'],
    summary: 'One item of the catalog in force, with the members offering it and their modes', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { params: itemParams },
    responses: {
      200: { description: 'the item', content: { 'application/json': { schema: itemDetailSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      404: { ...notFound, description: 'the catalog in force has no such item (`not_found`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { code } = c.req.valid('param');
    const item = await describeItem({ ctx: { catalog: deps.catalog }, input: { code, registry: deps.registry.current(), at: new Date(deps.clock.now()) } });
    if (!item) throw new AppError('not_found', `the catalog in force has no item ${code}`);
    return c.json(item, 200);
  });
}
