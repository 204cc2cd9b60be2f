import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { complaints } from '../../db/schema/index';
import { decodeCursor, encodeCursor } from '../supervision/cursor';
import { COMPLAINT_PAGE, type ComplaintCategory, type ComplaintChannel, type ComplaintCtx, type ComplaintState } from './rules';
import { complaintDetail, complaintView, loadComplaint, type ComplaintDetail, type ComplaintView } from './view';
import { AppError } from '../../lib/errors';

export interface ComplaintFilter {
  state?: ComplaintState;
  channel?: ComplaintChannel;
  category?: ComplaintCategory;
  /** Only open complaints past their reply date. */
  overdue?: boolean;
  limit?: number;
  cursor?: string;
}

const t = complaints;

/** The member's complaints, the most recently received first, a page at a time (without their events). */
export async function listComplaints({ ctx, input }: { ctx: Pick<ComplaintCtx, 'db' | 'sealer' | 'clock'>; input: ComplaintFilter }): Promise<{ complaints: ComplaintView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(input.limit ?? COMPLAINT_PAGE.default, 1), COMPLAINT_PAGE.max);
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const now = ctx.clock.now();
  const rows = await ctx.db.select().from(t).where(and(
    input.state ? eq(t.state, input.state) : undefined,
    input.channel ? eq(t.channel, input.channel) : undefined,
    input.category ? eq(t.category, input.category) : undefined,
    input.overdue ? and(eq(t.state, 'open'), lt(t.replyDueAt, new Date(now))) : undefined,
    after ? sql`(${t.receivedAt}, ${t.id}) < (${new Date(after.at).toISOString()}::timestamptz, ${after.id})` : undefined,
  )).orderBy(desc(t.receivedAt), desc(t.id)).limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    complaints: await Promise.all(page.map((r) => complaintView(r, { sealer: ctx.sealer, now }))),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.receivedAt.getTime(), id: last.id }) : null,
  };
}

/** One complaint with its history; 404 when the member has none by that id. */
export async function getComplaint({ ctx, input }: { ctx: Pick<ComplaintCtx, 'db' | 'sealer' | 'clock'>; input: { id: string } }): Promise<ComplaintDetail> {
  const found = await loadComplaint(ctx.db, input.id);
  if (!found) throw new AppError('not_found', `no complaint ${input.id}`);
  return complaintDetail(found.row, { sealer: ctx.sealer, now: ctx.clock.now() }, found.events);
}
