import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { searchItems } from '../../../services/catalog/search-items';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest } from '../schema';
import { itemPageSchema, itemSearchQuery } from './schema';

/** `GET /api/v1/items`: the catalog in force, searched, with the members offering each item; any clerk. */
export function registerSearchItems(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/items', operationId: 'searchItems', tags: ['items'],
    summary: 'The items of the catalog in force, searched and filtered, a page at a time', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { query: itemSearchQuery },
    responses: {
      200: { description: 'a page of the matching items, by code', content: { 'application/json': { schema: itemPageSchema } } },
      400: invalidRequest,
      ...clerkProblems,
    },
  });
  api.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const page = await searchItems({ ctx: { catalog: deps.catalog }, input: { ...query, registry: deps.registry.current(), at: new Date(deps.clock.now()) } });
    return c.json(page, 200);
  });
}
