import { complaintEvents, complaints } from '../../db/schema/index';
import { AppError } from '../../lib/errors';
import type { ClerkIdentity } from '../clerks/schema';
import { replyDeadline, type ComplaintCategory, type ComplaintChannel, type ComplaintCtx } from './rules';
import { complaintDetail, type ComplaintDetail } from './view';

export interface NewComplaint {
  channel: ComplaintChannel;
  category: ComplaintCategory;
  subject: string;
  content: string;
  complainant?: { name?: string; phone?: string };
  caseRef?: string;
  windowId?: string;
  /** When the complaint reached the member (a letter from the 意见箱 is entered later); default now. */
  receivedAt?: string;
}

/** A letter's date may run a little ahead of our clock; more than this is a typing error. */
const FUTURE_SKEW_MS = 10 * 60_000;

/**
 * A clerk enters a complaint from any channel (统一受理): it is open, due for a reply by the end of the
 * `complaintReplyDays`th working day after it was received (限时回复). The content and the phone are
 * sealed before they reach the row; nothing of them is logged.
 */
export async function createComplaint({ ctx, input }: { ctx: ComplaintCtx; input: { clerk: ClerkIdentity; body: NewComplaint } }): Promise<ComplaintDetail> {
  const { clerk, body } = input;
  const now = ctx.clock.now();
  const received = body.receivedAt ? Date.parse(body.receivedAt) : now;
  if (received > now + FUTURE_SKEW_MS) {
    throw new AppError('invalid_request', 'the body is not valid: 1 problem', { errors: [{ path: 'receivedAt', message: 'is in the future' }] });
  }
  const replyDueAt = replyDeadline(ctx.calendar, received, ctx.followUp.complaintReplyDays);
  const phone = body.complainant?.phone;
  const values = {
    id: ctx.ids.make('cp'), channel: body.channel, category: body.category, subject: body.subject,
    contentSealed: await ctx.sealer.seal(body.content),
    complainantName: body.complainant?.name ?? null, complainantPhoneSealed: phone ? await ctx.sealer.seal(phone) : null,
    caseRef: body.caseRef ?? null, windowId: body.windowId ?? null, state: 'open',
    receivedAt: new Date(received), replyDueAt, escalationLevel: 0, nextEscalationAt: replyDueAt,
    createdBy: clerk.id, createdAt: new Date(now), updatedAt: new Date(now),
  };
  const event = { id: ctx.ids.make('ce'), complaintId: values.id, type: 'received', at: values.receivedAt, actor: clerk.id, level: null };
  const [row] = await ctx.db.transaction(async (tx) => {
    const inserted = await tx.insert(complaints).values(values).returning();
    await tx.insert(complaintEvents).values(event);
    return inserted;
  });
  return complaintDetail(row!, { sealer: ctx.sealer, now }, [event]);
}
