import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { cases } from '../../../db/schema/index';
import type { SignedAnswer } from '../../../federation/client';
import type { OutboxMessage } from '../../../federation/outbox/enqueue';
import { afterTransition } from '../after-transition';
import type { CaseCtx } from '../case-ctx';
import { fromUtf8 } from '../../../lib/encoding';
import { applyEvent, type CaseState } from '../state-machine';
import { TRANSFER_KIND } from './transfer-case';

/** §7.1 response 202. */
const receiptSchema = z.object({
  receiptId: z.string().min(1).max(64),
  caseRef: z.string().min(1).max(64),
  receivedAt: z.iso.datetime({ offset: true }),
  materialsDigest: z.string(),
  status: z.literal('received'),
});

/**
 * The outbox's onDelivered for §7.1 transfers, in the delivery's transaction: keeps the receipt on the
 * intake case (the handling member's caseRef becomes the `{ref}` of §7.2) and applies transfer_received.
 * A receipt that does not parse throws, so the delivery rolls back and is tried again.
 */
export const transferReceiptHandler = (ctx: CaseCtx) => async (message: OutboxMessage, answer: SignedAnswer, tx: Db): Promise<void> => {
  if (message.kind !== TRANSFER_KIND || !message.caseRef) return;
  const receipt = receiptSchema.parse(JSON.parse(fromUtf8(answer.body)));
  const [row] = await tx.select().from(cases).where(and(eq(cases.ref, message.caseRef), eq(cases.role, 'intake'))).for('update');
  if (!row) return;
  const step = applyEvent(row.stateDetail as CaseState, { type: 'transfer_received' }, 'handling');
  // A case withdrawn while its transfer was on the way keeps its status; the receipt is still kept.
  const moved = step.ok ? { state: step.state.status, stateDetail: step.state } : {};
  const now = new Date(ctx.clock.now());
  await tx.update(cases).set({
    ...moved, remoteRef: receipt.caseRef, receiptId: receipt.receiptId, receivedAt: new Date(receipt.receivedAt), updatedAt: now,
  }).where(eq(cases.ref, row.ref));
  if (step.ok) await afterTransition(tx, ctx, { row: { ...row, remoteRef: receipt.caseRef }, event: { type: 'transfer_received' }, before: row.stateDetail as CaseState, after: step.state, at: now });
};
