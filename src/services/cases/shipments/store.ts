import type { Db } from '../../../db/client';
import { caseShipments, shipmentEvents } from '../../../db/schema/index';
import type { Ids } from '../../../lib/ids';
import type { ShipmentDirection } from './rules';

/** Inserts a shipment in transit and its first event, through `db` (the caller's transaction). */
export async function insertShipment(db: Db, ctx: { ids: Ids }, s: { caseRef: string; direction: ShipmentDirection; carrier: string; trackingNo: string; by: string; at: Date; now: Date; note?: string }) {
  const [shipment] = await db.insert(caseShipments).values({
    id: ctx.ids.make('sh'), caseRef: s.caseRef, direction: s.direction, carrier: s.carrier, trackingNo: s.trackingNo,
    status: 'in_transit', createdBy: s.by, createdAt: s.now, updatedAt: s.now,
  }).returning();
  const [event] = await db.insert(shipmentEvents).values({
    id: ctx.ids.make('se'), shipmentId: shipment!.id, at: s.at, status: 'in_transit', location: null, note: s.note ?? null, recordedBy: s.by, recordedAt: s.now,
  }).returning();
  return { shipment: shipment!, event: event! };
}

