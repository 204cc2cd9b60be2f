import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { caseShipments, shipmentEvents } from '../../../db/schema/index';
import { AppError } from '../../../lib/errors';
import type { Clock } from '../../../lib/clock';
import type { Ids } from '../../../lib/ids';
import type { ClerkIdentity } from '../../clerks/schema';
import { findClerkCase } from '../clerk-events';
import type { Side } from '../events-schema';
import { DIRECTION_SENDERS, shipmentStepRefused, type ShipmentDirection, type ShipmentStatus } from './rules';
import { insertShipment } from './store';

export interface ShipmentCtx {
  db: Db;
  clock: Clock;
  ids: Ids;
}

export interface ShipmentEventView {
  id: string;
  at: string;
  status: ShipmentStatus;
  location?: string;
  note?: string;
  recordedBy: string;
}

export interface ShipmentView {
  id: string;
  caseRef: string;
  direction: ShipmentDirection;
  carrier: string;
  trackingNo: string;
  status: ShipmentStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  events: ShipmentEventView[];
}

/** A carrier's scan time may run a little ahead of ours; more than this is a typing error. */
const FUTURE_SKEW_MS = 10 * 60_000;

type ShipmentRow = typeof caseShipments.$inferSelect;
type EventRow = typeof shipmentEvents.$inferSelect;

const eventView = (e: EventRow): ShipmentEventView => ({
  id: e.id, at: e.at.toISOString(), status: e.status as ShipmentStatus,
  ...(e.location ? { location: e.location } : {}), ...(e.note ? { note: e.note } : {}), recordedBy: e.recordedBy,
});

const view = (s: ShipmentRow, events: EventRow[]): ShipmentView => ({
  id: s.id, caseRef: s.caseRef, direction: s.direction as ShipmentDirection, carrier: s.carrier, trackingNo: s.trackingNo,
  status: s.status as ShipmentStatus, createdBy: s.createdBy, createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString(),
  events: events.map(eventView),
});

/** The case a clerk may see (404 otherwise); for a write, only a clerk of the case's own side (403). */
async function clerkCase(db: Db, ref: string, clerk: ClerkIdentity, write: boolean) {
  const row = await findClerkCase(db, ref, clerk);
  if (!row) throw new AppError('not_found', `no case ${ref}`);
  if (write && clerk.role !== row.role) throw new AppError('not_authorized', `shipments of ${row.role} cases are recorded by ${row.role} clerks; clerk ${clerk.id} is ${clerk.role}`);
  return row;
}

/**
 * A clerk records a parcel of a case: the originals posted to the handling member, or the result on its
 * way to the intake window or the applicant. It starts `in_transit`, with that as its first event.
 */
export async function createShipment({ ctx, input }: {
  ctx: ShipmentCtx;
  input: { clerk: ClerkIdentity; ref: string; body: { direction: ShipmentDirection; carrier: string; trackingNo: string } };
}): Promise<ShipmentView> {
  const { clerk, body } = input;
  const row = await clerkCase(ctx.db, input.ref, clerk, true);
  const side = row.role as Side;
  if (!DIRECTION_SENDERS[body.direction].includes(side)) {
    throw new AppError('not_authorized', `${body.direction} is sent by the ${DIRECTION_SENDERS[body.direction].join(' or ')} member; this is a ${side} case`);
  }
  return ctx.db.transaction(async (tx) => {
    const [same] = await tx.select({ id: caseShipments.id }).from(caseShipments)
      .where(and(eq(caseShipments.caseRef, row.ref), eq(caseShipments.carrier, body.carrier), eq(caseShipments.trackingNo, body.trackingNo)));
    if (same) throw new AppError('invalid_transition', `${body.carrier} ${body.trackingNo} is already recorded for case ${row.ref} (${same.id})`);
    const now = new Date(ctx.clock.now());
    const created = await insertShipment(tx, ctx, { caseRef: row.ref, ...body, by: clerk.id, at: now, now });
    return view(created.shipment, [created.event]);
  });
}

/** A scan or status of a parcel (in transit, delivered, lost, returned); one that has arrived at its end takes no more (409). */
export async function addShipmentEvent({ ctx, input }: {
  ctx: ShipmentCtx;
  input: { clerk: ClerkIdentity; ref: string; shipmentId: string; body: { status: ShipmentStatus; at: string; location?: string; note?: string } };
}): Promise<ShipmentView> {
  const { clerk, body } = input;
  if (Date.parse(body.at) > ctx.clock.now() + FUTURE_SKEW_MS) {
    throw new AppError('invalid_request', 'the body is not valid: 1 problem', { errors: [{ path: 'at', message: 'is in the future' }] });
  }
  const row = await clerkCase(ctx.db, input.ref, clerk, true);
  return ctx.db.transaction(async (tx) => {
    const [shipment] = await tx.select().from(caseShipments).where(and(eq(caseShipments.id, input.shipmentId), eq(caseShipments.caseRef, row.ref))).for('update');
    if (!shipment) throw new AppError('not_found', `no shipment ${input.shipmentId} on case ${row.ref}`);
    const refused = shipmentStepRefused(shipment.status as ShipmentStatus, body.status);
    if (refused) throw new AppError('invalid_transition', refused);
    const now = new Date(ctx.clock.now());
    await tx.insert(shipmentEvents).values({
      id: ctx.ids.make('se'), shipmentId: shipment.id, at: new Date(body.at), status: body.status,
      location: body.location ?? null, note: body.note ?? null, recordedBy: clerk.id, recordedAt: now,
    });
    const [updated] = await tx.update(caseShipments).set({ status: body.status, updatedAt: now }).where(eq(caseShipments.id, shipment.id)).returning();
    return view(updated!, await eventsOf(tx, [shipment.id]).then((m) => m.get(shipment.id) ?? []));
  });
}

/** The parcels of a case a clerk may see, oldest first, each with its events in order. */
export async function listShipments({ ctx, input }: { ctx: Pick<ShipmentCtx, 'db'>; input: { clerk: ClerkIdentity; ref: string } }): Promise<{ caseRef: string; shipments: ShipmentView[] }> {
  const row = await clerkCase(ctx.db, input.ref, input.clerk, false);
  const rows = await ctx.db.select().from(caseShipments).where(eq(caseShipments.caseRef, row.ref)).orderBy(asc(caseShipments.createdAt), asc(caseShipments.id));
  const events = await eventsOf(ctx.db, rows.map((s) => s.id));
  return { caseRef: row.ref, shipments: rows.map((s) => view(s, events.get(s.id) ?? [])) };
}

async function eventsOf(db: Db, ids: string[]): Promise<Map<string, EventRow[]>> {
  const out = new Map<string, EventRow[]>();
  if (!ids.length) return out;
  const rows = await db.select().from(shipmentEvents).where(inArray(shipmentEvents.shipmentId, ids)).orderBy(asc(shipmentEvents.at), asc(shipmentEvents.recordedAt), asc(shipmentEvents.id));
  for (const e of rows) out.set(e.shipmentId, [...(out.get(e.shipmentId) ?? []), e]);
  return out;
}
