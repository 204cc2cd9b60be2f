import { asc, eq } from 'drizzle-orm';
import { caseMaterials, cases } from '../../../db/schema/index';
import type { KeyIndex } from '../../../federation/registry/key-index';
import { enqueueMessage } from '../../../federation/outbox/enqueue';
import { utf8 } from '../../../lib/encoding';
import { AppError } from '../../../lib/errors';
import type { ClerkIdentity } from '../../clerks/schema';
import { applyEvent, type CaseState } from '../state-machine';
import { MAX_TRANSFER_BYTES } from '../transfer-schema';
import { afterTransition } from '../after-transition';
import type { CaseCtx } from '../case-ctx';
import { transferJointCase, type JointTransferAnswer } from '../joint/transfer-joint';
import { completenessOf } from './completeness';
import { findIntakeCase } from './find-case';
import { itemOf } from './materials';
import { materialsDigestOf, TRANSFER_KIND, transferBodyOf } from './transfer-body';
import type { CaseRow } from './types';

export { TRANSFER_KIND } from './transfer-body';

export interface TransferAnswer {
  ref: string;
  state: 'transferring';
  to: string;
  messageId: string;
}

/**
 * Sends a complete intake case to its handling member (§7.1). In one transaction, under the case's row
 * lock: completeness (409 with what is missing), the transfer_sent step, and the §7.1 message in the
 * outbox, so the case is `transferring` exactly when its transfer is queued. A joint case (多地联办)
 * sends its first steps instead (joint/transfer-joint.ts).
 */
export async function transferIntakeCase({ ctx, input }: { ctx: CaseCtx; input: { clerk: ClerkIdentity; ref: string; to?: string } }): Promise<TransferAnswer | JointTransferAnswer> {
  const found = await findIntakeCase(ctx.db, input.ref, input.clerk);
  if (!found) throw new AppError('not_found', `no case ${input.ref}`);
  // The catalog is read outside the transaction: it may sit on another connection (PGlite has one).
  const item = await itemOf(ctx, found);
  return ctx.db.transaction(async (tx) => {
    const row = (await findIntakeCase(tx, input.ref, input.clerk, true))!;
    const step = applyEvent(row.stateDetail as CaseState, { type: 'transfer_sent' }, 'intake');
    if (!step.ok) throw new AppError(step.code, `case ${row.ref} cannot be transferred: ${step.reason}`);
    const materials = await tx.select().from(caseMaterials).where(eq(caseMaterials.caseRef, row.ref)).orderBy(asc(caseMaterials.position));
    const gaps = completenessOf(item, materials);
    if (!gaps.complete) {
      throw new AppError('invalid_transition', `case ${row.ref} lacks ${gaps.missing.length} required material${gaps.missing.length > 1 ? 's' : ''}: ${gaps.missing.map((m) => m.name).join(', ')}`, {
        errors: gaps.missing.map((m) => ({ path: `materials.${m.id}`, message: `missing: ${m.name}` })),
      });
    }
    if (row.mode === 'joint') return transferJointCase(tx, ctx, { row, materials, sent: step.state, ...(input.to !== undefined ? { to: input.to } : {}) });
    const to = chooseHandlingMember(ctx.registry(), ctx.selfId, row, input.to);
    const bytes = utf8(JSON.stringify(await transferBodyOf(ctx, row, materials)));
    if (bytes.byteLength > MAX_TRANSFER_BYTES) throw new AppError('payload_too_large', 'the materials together are over 32 MiB, the most one transfer carries');
    const materialsDigest = await materialsDigestOf(ctx, materials);
    const message = await enqueueMessage(tx, { kind: TRANSFER_KIND, caseRef: row.ref, to, method: 'POST', path: '/federation/v1/cases', body: bytes, personal: true }, ctx);
    const now = new Date(ctx.clock.now());
    await tx.update(cases).set({ state: step.state.status, stateDetail: step.state, handlingMember: to, materialsDigest, updatedAt: now })
      .where(eq(cases.ref, row.ref));
    await afterTransition(tx, ctx, { row: { ...row, handlingMember: to }, event: { type: 'transfer_sent' }, before: row.stateDetail as CaseState, after: step.state, at: now });
    return { ref: row.ref, state: 'transferring' as const, to, messageId: message.id };
  });
}

/** The registry member (not us, active) listing the item with the case's mode; `to` picks among several. */
export function chooseHandlingMember(registry: KeyIndex | null, selfId: string, row: CaseRow, to?: string): string {
  const candidates = [...(registry?.members.values() ?? [])]
    .filter((m) => m.id !== selfId && m.status === 'active' && m.items?.some((i) => i.code === row.itemCode && (i.modes as string[]).includes(row.mode)))
    .map((m) => m.id);
  if (!candidates.length) throw new AppError('invalid_transition', `no member of the registry handles ${row.itemCode} (${row.mode})`);
  if (to !== undefined) {
    if (!candidates.includes(to)) throw new AppError('invalid_request', `${to} does not handle ${row.itemCode} (${row.mode})`, { errors: [{ path: 'to', message: `must be one of ${candidates.join(', ')}` }] });
    return to;
  }
  if (candidates.length > 1) throw new AppError('invalid_request', `several members handle ${row.itemCode} (${row.mode}): choose one`, { errors: [{ path: 'to', message: `required: one of ${candidates.join(', ')}` }] });
  return candidates[0]!;
}
