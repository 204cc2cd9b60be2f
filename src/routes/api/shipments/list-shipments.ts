import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { listShipments } from '../../../services/cases/shipments/shipments';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound } from '../schema';
import { caseShipmentsParams, shipmentListSchema } from './schema';

/** `GET /api/v1/cases/{ref}/shipments`: a case's parcels, for any clerk who may see the case (supervisors too). */
export function registerListShipments(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/cases/{ref}/shipments', operationId: 'listShipments', tags: ['shipments'],
    summary: "A case's parcels and their events", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { params: caseShipmentsParams },
    responses: {
      200: { description: 'the shipments, oldest first', content: { 'application/json': { schema: shipmentListSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      404: notFound,
    },
  });
  api.openapi(route, async (c) => {
    const { ref } = c.req.valid('param');
    return c.json(await listShipments({ ctx: { db: deps.database.db }, input: { clerk: c.get('clerk'), ref } }), 200);
  });
}
