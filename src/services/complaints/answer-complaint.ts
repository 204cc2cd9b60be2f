import { eq } from 'drizzle-orm';
import { complaintEvents, complaints } from '../../db/schema/index';
import { AppError } from '../../lib/errors';
import type { ClerkIdentity } from '../clerks/schema';
import type { ComplaintCtx, ComplaintState } from './rules';
import { complaintDetail, eventsOf, type ComplaintDetail, type ComplaintRow } from './view';

type Step = 'replied' | 'closed';

/** The one state each step leaves from: open -> replied -> closed. */
const FROM: Record<Step, ComplaintState> = { replied: 'open', closed: 'replied' };

/**
 * Moves a complaint one step under its row lock, with the event of the step: 404 unknown, 409 from any
 * other state (a reply twice, a close before the reply).
 */
async function step(ctx: ComplaintCtx, input: { clerk: ClerkIdentity; id: string; step: Step; set: (now: Date) => Promise<Partial<ComplaintRow>> }): Promise<ComplaintDetail> {
  const now = new Date(ctx.clock.now());
  const changes = await input.set(now);
  const row = await ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(complaints).where(eq(complaints.id, input.id)).for('update');
    if (!current) throw new AppError('not_found', `no complaint ${input.id}`);
    const from = FROM[input.step];
    if (current.state !== from) throw new AppError('invalid_transition', `complaint ${input.id} is ${current.state}: only a ${from} complaint can be ${input.step}`);
    await tx.insert(complaintEvents).values({ id: ctx.ids.make('ce'), complaintId: current.id, type: input.step, at: now, actor: input.clerk.id, level: null });
    const [updated] = await tx.update(complaints).set({ ...changes, state: input.step, updatedAt: now }).where(eq(complaints.id, current.id)).returning();
    return updated!;
  });
  return complaintDetail(row, { sealer: ctx.sealer, now: now.getTime() }, (await eventsOf(ctx.db, [row.id])).get(row.id) ?? []);
}

/** The answer to the complainant (回复), sealed like the complaint; it stops the escalation. */
export function replyComplaint({ ctx, input }: { ctx: ComplaintCtx; input: { clerk: ClerkIdentity; id: string; reply: string } }): Promise<ComplaintDetail> {
  return step(ctx, {
    clerk: input.clerk, id: input.id, step: 'replied',
    set: async (now) => ({ repliedAt: now, replySealed: await ctx.sealer.seal(input.reply), nextEscalationAt: null }),
  });
}

/** A supervisor closes a replied complaint (办结); the route admits supervisors only. */
export function closeComplaint({ ctx, input }: { ctx: ComplaintCtx; input: { clerk: ClerkIdentity; id: string } }): Promise<ComplaintDetail> {
  return step(ctx, { clerk: input.clerk, id: input.id, step: 'closed', set: async (now) => ({ closedAt: now }) });
}
