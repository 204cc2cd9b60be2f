import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * A parcel of a case: originals on their way to the handling member, or the result on its way to the
 * intake window or the applicant. Its tracking history is in shipment_events.
 */
export const caseShipments = pgTable('case_shipments', {
  id: text().primaryKey(),
  caseRef: text().notNull(),
  /** originals_to_handling | result_to_window | result_to_applicant */
  direction: text().notNull(),
  carrier: text().notNull(),
  trackingNo: text().notNull(),
  /** in_transit | delivered | lost | returned */
  status: text().notNull(),
  /** The clerk who recorded it, or the member whose §7.2 `shipped` event announced it. */
  createdBy: text().notNull(),
  createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [index('case_shipments_case_idx').on(t.caseRef)]);

/** One scan or status of a shipment, as the carrier or a clerk reports it. */
export const shipmentEvents = pgTable('shipment_events', {
  id: text().primaryKey(),
  shipmentId: text().notNull(),
  at: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  status: text().notNull(),
  location: text(),
  note: text(),
  recordedBy: text().notNull(),
  recordedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [index('shipment_events_shipment_idx').on(t.shipmentId, t.at)]);
