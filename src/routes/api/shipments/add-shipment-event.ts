import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { addShipmentEvent } from '../../../services/cases/shipments/shipments';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { shipmentEventBodySchema, shipmentParams, shipmentSchema } from './schema';

/** `POST /api/v1/cases/{ref}/shipments/{id}/events`: a scan or status of a parcel. */
export function registerAddShipmentEvent(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/cases/{ref}/shipments/{id}/events', operationId: 'addShipmentEvent', tags: ['shipments'],
    summary: 'Record a status of a parcel (in transit, delivered, lost, returned)', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling'] })] as const,
    request: { params: shipmentParams, body: { required: true, content: { 'application/json': { schema: shipmentEventBodySchema } } } },
    responses: {
      201: { description: 'the shipment with its events', content: { 'application/json': { schema: shipmentSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: { ...roleProblem, description: "a supervisor, or a clerk of the case's other role (`not_authorized`)" },
      404: notFound,
      409: { ...notFound, description: 'the parcel was already delivered, lost or returned (`invalid_transition`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { ref, id } = c.req.valid('param');
    const shipment = await addShipmentEvent({
      ctx: { db: deps.database.db, clock: deps.clock, ids: deps.ids },
      input: { clerk: c.get('clerk'), ref, shipmentId: id, body: c.req.valid('json') },
    });
    return c.json(shipment, 201);
  });
}
