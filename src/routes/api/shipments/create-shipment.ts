import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { createShipment } from '../../../services/cases/shipments/shipments';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { caseShipmentsParams, newShipmentSchema, shipmentSchema } from './schema';

/** `POST /api/v1/cases/{ref}/shipments`: a clerk of the case's side records a parcel. */
export function registerCreateShipment(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/cases/{ref}/shipments', operationId: 'createShipment', tags: ['shipments'],
    summary: 'Record a parcel of a case (originals or result)', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling'] })] as const,
    request: { params: caseShipmentsParams, body: { required: true, content: { 'application/json': { schema: newShipmentSchema } } } },
    responses: {
      201: { description: 'the shipment, in transit', content: { 'application/json': { schema: shipmentSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: { ...roleProblem, description: "a supervisor, a clerk of the case's other role, or a direction the case's side does not send (`not_authorized`)" },
      404: notFound,
      409: { ...notFound, description: 'the carrier and tracking number are already recorded for the case (`invalid_transition`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { ref } = c.req.valid('param');
    const shipment = await createShipment({ ctx: { db: deps.database.db, clock: deps.clock, ids: deps.ids }, input: { clerk: c.get('clerk'), ref, body: c.req.valid('json') } });
    return c.json(shipment, 201);
  });
}
