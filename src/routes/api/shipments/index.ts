import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { registerAddShipmentEvent } from './add-shipment-event';
import { registerCreateShipment } from './create-shipment';
import { registerListShipments } from './list-shipments';

/** Parcels of a case: the originals posted to the handling member, the result to the window or the applicant. */
export function registerShipmentRoutes(api: OpenAPIHono<AppEnv>, deps: Deps) {
  registerCreateShipment(api, deps);
  registerAddShipmentEvent(api, deps);
  registerListShipments(api, deps);
}
