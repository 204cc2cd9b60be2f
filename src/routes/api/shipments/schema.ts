import { z } from '@hono/zod-openapi';
import { CASE_REF } from '../../../services/cases/case-events';
import { CARRIER, KNOWN_CARRIERS, SHIPMENT_DIRECTIONS, SHIPMENT_STATUSES, TRACKING_NO } from '../../../services/cases/shipments/rules';

// Made here with @hono/zod-openapi's z, so `.openapi()` is safe; services give only constants and regexes.
const ref = z.string().regex(CASE_REF, 'must be a case ref such as cs_Jx3o9cV2bq1mT8aQ');

export const caseShipmentsParams = z.object({ ref });
export const shipmentParams = z.object({ ref, id: z.string().regex(/^sh_[A-Za-z0-9_-]{16}$/, 'must be a shipment id such as sh_Jx3o9cV2bq1mT8aQ') });

export const newShipmentSchema = z.object({
  direction: z.enum(SHIPMENT_DIRECTIONS),
  carrier: z.string().regex(CARRIER, `must be one of ${KNOWN_CARRIERS.join(', ')} or other:<name>`).openapi({ example: 'SF' }),
  trackingNo: z.string().regex(TRACKING_NO, 'must be 6-32 capital letters or digits').openapi({ example: 'SF1234567890' }),
}).strict().openapi('NewShipment', { description: 'A parcel of a case: originals to the handling member, or the result to the window or the applicant' });

export const shipmentEventBodySchema = z.object({
  status: z.enum(SHIPMENT_STATUSES),
  at: z.iso.datetime({ offset: true }).openapi({ example: '2026-12-01T10:00:00+08:00' }),
  location: z.string().trim().min(1).max(200).optional(),
  note: z.string().trim().min(1).max(1000).optional(),
}).strict().openapi('NewShipmentEvent', { description: 'A scan or status of a parcel, as the carrier or a clerk reports it' });

const shipmentEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  status: z.enum(SHIPMENT_STATUSES),
  location: z.string().optional(),
  note: z.string().optional(),
  recordedBy: z.string().openapi({ description: 'the clerk, or the member whose §7.2 `shipped` announced the parcel' }),
}).openapi('ShipmentEvent');

export const shipmentSchema = z.object({
  id: z.string().openapi({ example: 'sh_Jx3o9cV2bq1mT8aQ' }),
  caseRef: z.string(),
  direction: z.enum(SHIPMENT_DIRECTIONS),
  carrier: z.string(),
  trackingNo: z.string(),
  status: z.enum(SHIPMENT_STATUSES),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  events: z.array(shipmentEventSchema),
}).openapi('Shipment');

export const shipmentListSchema = z.object({ caseRef: z.string(), shipments: z.array(shipmentSchema) }).openapi('ShipmentList');
