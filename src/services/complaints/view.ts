import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { complaintEvents, complaints } from '../../db/schema/index';
import type { Sealer } from '../../lib/sealed';
import { COMPLAINT_EVENT_TYPES as LIFE_ORDER, maskPhone, type ComplaintCategory, type ComplaintChannel, type ComplaintEventType, type ComplaintState } from './rules';

export type ComplaintRow = typeof complaints.$inferSelect;
type EventRow = typeof complaintEvents.$inferSelect;

export interface ComplaintEventView {
  type: ComplaintEventType;
  at: string;
  /** A clerk id, or `system` for an escalation. */
  actor: string;
  level: number | null;
}

export interface ComplaintView {
  id: string;
  channel: ComplaintChannel;
  category: ComplaintCategory;
  subject: string;
  content: string;
  complainant: { name: string | null; phoneMasked: string | null };
  caseRef: string | null;
  windowId: string | null;
  state: ComplaintState;
  receivedAt: string;
  replyDueAt: string;
  /** Open past replyDueAt. */
  overdue: boolean;
  escalationLevel: number;
  escalatedAt: string | null;
  repliedAt: string | null;
  reply: string | null;
  closedAt: string | null;
  createdBy: string;
}

/** A complaint with its history, as one complaint is answered. */
export interface ComplaintDetail extends ComplaintView {
  events: ComplaintEventView[];
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** A row as the API shows it: content and reply opened for the clerk, the phone only masked. */
export async function complaintView(row: ComplaintRow, ctx: { sealer: Sealer; now: number }): Promise<ComplaintView> {
  const phone = row.complainantPhoneSealed ? await ctx.sealer.open(row.complainantPhoneSealed) : null;
  return {
    id: row.id, channel: row.channel as ComplaintChannel, category: row.category as ComplaintCategory, subject: row.subject,
    content: await ctx.sealer.open(row.contentSealed),
    complainant: { name: row.complainantName, phoneMasked: phone === null ? null : maskPhone(phone) },
    caseRef: row.caseRef, windowId: row.windowId, state: row.state as ComplaintState,
    receivedAt: row.receivedAt.toISOString(), replyDueAt: row.replyDueAt.toISOString(),
    overdue: row.state === 'open' && ctx.now > row.replyDueAt.getTime(),
    escalationLevel: row.escalationLevel, escalatedAt: iso(row.escalatedAt),
    repliedAt: iso(row.repliedAt), reply: row.replySealed ? await ctx.sealer.open(row.replySealed) : null,
    closedAt: iso(row.closedAt), createdBy: row.createdBy,
  };
}

export const complaintDetail = async (row: ComplaintRow, ctx: { sealer: Sealer; now: number }, events: EventRow[]): Promise<ComplaintDetail> =>
  ({ ...(await complaintView(row, ctx)), events: events.map(eventView) });

const eventView = (e: EventRow): ComplaintEventView => ({ type: e.type as ComplaintEventType, at: e.at.toISOString(), actor: e.actor, level: e.level });

/** The history of complaints, oldest first, by complaint id. */
export async function eventsOf(db: Db, ids: readonly string[]): Promise<Map<string, EventRow[]>> {
  const out = new Map<string, EventRow[]>();
  if (!ids.length) return out;
  const rows = await db.select().from(complaintEvents).where(inArray(complaintEvents.complaintId, [...ids])).orderBy(asc(complaintEvents.at));
  // Events of one instant (a fixed clock, a reply typed as it was received) keep the life order.
  rows.sort((a, b) => a.at.getTime() - b.at.getTime() || LIFE_ORDER.indexOf(a.type as ComplaintEventType) - LIFE_ORDER.indexOf(b.type as ComplaintEventType) || (a.level ?? 0) - (b.level ?? 0));
  for (const e of rows) out.set(e.complaintId, [...(out.get(e.complaintId) ?? []), e]);
  return out;
}

/** A complaint with its history, or null. */
export async function loadComplaint(db: Db, id: string): Promise<{ row: ComplaintRow; events: EventRow[] } | null> {
  const [row] = await db.select().from(complaints).where(eq(complaints.id, id));
  if (!row) return null;
  return { row, events: (await eventsOf(db, [id])).get(id) ?? [] };
}
