import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { caseMaterials, cases } from '../../db/schema/index';
import type { JwsEngine } from '../../federation/engine';
import type { KeyIndex } from '../../federation/registry/key-index';
import type { Clock } from '../../lib/clock';
import { fromBase64, hex, utf8 } from '../../lib/encoding';
import { AppError, type FieldError } from '../../lib/errors';
import type { Ids } from '../../lib/ids';
import { maskIdNumber } from '../../lib/logger';
import type { Sealer } from '../../lib/sealed';
import type { CatalogReader } from '../catalog/offered-items';
import { backOfficeHandles } from './backoffice/link';
import type { PartnerLink } from '../../context';
import { clocksAtReceipt } from './clocks';
import { initialCaseState } from './state-machine';
import { MAX_MATERIAL_BYTES, type TransferBody } from './transfer-schema';

export interface Receipt {
  receiptId: string;
  caseRef: string;
  receivedAt: string;
  materialsDigest: string;
  status: 'received';
}

export interface ReceiveTransferCtx {
  db: Db;
  sealer: Sealer;
  engine: JwsEngine;
  catalog: CatalogReader;
  registry: KeyIndex | null;
  selfId: string;
  clock: Clock;
  ids: Ids;
  /** The partners; the one named like this member is its back office. Without it, clerks handle every case. */
  partners?: ReadonlyMap<string, PartnerLink>;
}

/**
 * §7.1 on the handling side, in the protocol's order: the body's rules (sizes: 413; an unknown item or a
 * material that does not match its sha256: 400), then authorization (403), then one transaction that
 * keeps the case and its materials. The 202 that carries the result, signed, is the receipt.
 */
export async function receiveTransfer({ ctx, input }: { ctx: ReceiveTransferCtx; input: { from: string; body: TransferBody; resumed?: boolean } }): Promise<Receipt> {
  const { body } = input;
  const contents = await checkMaterials(ctx, body);
  const now = new Date(ctx.clock.now());
  if (!(await ctx.catalog.itemsInForce(now)).has(body.itemCode)) {
    throw new AppError('invalid_request', `item ${body.itemCode} is not in this member's catalog`, { errors: [{ path: 'itemCode', message: 'unknown item code' }] });
  }
  if (body.intake.member !== input.from) throw new AppError('not_authorized', `intake.member must be the sender (${input.from})`);
  const offered = ctx.registry?.members.get(ctx.selfId)?.items?.find((i) => i.code === body.itemCode);
  if (!offered?.modes.includes(body.mode)) throw new AppError('not_authorized', `the registry does not list ${body.itemCode} (${body.mode}) for ${ctx.selfId}`);

  const receipt: Receipt = {
    receiptId: ctx.ids.make('rc'), caseRef: ctx.ids.make('cs'), receivedAt: now.toISOString(),
    materialsDigest: hex(await ctx.engine.sha256(utf8(body.materials.map((m) => m.sha256).join('\n')))), status: 'received',
  };
  const applicant = body.applicant;
  const row = {
    ref: receipt.caseRef, role: 'handling', intakeMember: input.from, handlingMember: ctx.selfId, intakeCaseId: body.caseId,
    itemCode: body.itemCode, mode: body.mode, step: body.step ?? null, jointId: body.jointId ?? null, state: 'received',
    applicantKind: applicant.kind, applicantName: applicant.name, applicantIdType: applicant.idType,
    applicantIdSealed: await ctx.sealer.seal(applicant.idNumber), applicantIdMasked: maskIdNumber(applicant.idNumber),
    applicantPhoneSealed: applicant.phone ? await ctx.sealer.seal(applicant.phone) : null,
    stateDetail: initialCaseState('handling', body.delivery.method),
    intake: body.intake, form: body.form ?? null, delivery: body.delivery, consent: body.consent,
    materialsDigest: receipt.materialsDigest, receiptId: receipt.receiptId, receivedAt: now, createdAt: now, updatedAt: now,
    // The back office decides the item: its worker submits the case, durably, from this row (services/cases/backoffice).
    partnerNextAt: ctx.partners && backOfficeHandles({ partners: ctx.partners, selfId: ctx.selfId }, body.itemCode) ? now : null,
    // The acceptance hop starts with the receipt: no transition runs on this side before it.
    ...(ctx.partners ? clocksAtReceipt({ partners: ctx.partners, selfId: ctx.selfId }, { role: 'handling', handlingMember: ctx.selfId, itemCode: body.itemCode, mode: body.mode }, now.getTime()) : {}),
  };
  const inserted = await ctx.db.transaction(async (tx) => {
    const [saved] = await tx.insert(cases).values(row).onConflictDoNothing().returning({ ref: cases.ref });
    if (!saved) return false;
    if (body.materials.length) {
      await tx.insert(caseMaterials).values(body.materials.map((m, position) => ({
        caseRef: receipt.caseRef, position, requirement: m.requirement, name: m.name, mediaType: m.mediaType, size: m.size, sha256: m.sha256, content: contents[position]!,
      })));
    }
    return true;
  });
  if (inserted) return receipt;
  const kept = input.resumed ? await receiptKept(ctx.db, input.from, body, receipt.materialsDigest) : null;
  if (!kept) throw new AppError('invalid_transition', `case ${body.caseId} of ${input.from}${body.step ? ` (step ${body.step})` : ''} was already transferred here`);
  return kept;
}

/**
 * The receipt this member gave the same transfer, for a retry under an Idempotency-Key whose first worker
 * died after keeping the case and before recording its answer (§5: the retry gets the first answer; the
 * case is the record of it). Null when the kept case differs (item, mode or materials).
 */
async function receiptKept(db: Db, from: string, body: TransferBody, materialsDigest: string): Promise<Receipt | null> {
  const [kept] = await db.select({ ref: cases.ref, receiptId: cases.receiptId, receivedAt: cases.receivedAt, itemCode: cases.itemCode, mode: cases.mode, materialsDigest: cases.materialsDigest })
    .from(cases)
    .where(and(eq(cases.role, 'handling'), eq(cases.intakeMember, from), eq(cases.intakeCaseId, body.caseId), body.step ? eq(cases.step, body.step) : isNull(cases.step)));
  const same = kept && kept.receiptId && kept.receivedAt && kept.itemCode === body.itemCode && kept.mode === body.mode && kept.materialsDigest === materialsDigest;
  if (!same) return null;
  return { receiptId: kept.receiptId!, caseRef: kept.ref, receivedAt: kept.receivedAt!.toISOString(), materialsDigest, status: 'received' };
}

/** Decodes every material and checks its size and sha256; reports every bad one at once. */
export async function checkMaterials(ctx: Pick<ReceiveTransferCtx, 'engine'>, body: { materials: TransferBody['materials'] }, at = 'materials'): Promise<Uint8Array[]> {
  const errors: FieldError[] = [];
  const contents: Uint8Array[] = [];
  for (const [i, m] of body.materials.entries()) {
    // 4 base64 characters carry 3 bytes: refuse an oversize material before decoding it.
    if (m.content.length > Math.ceil(MAX_MATERIAL_BYTES / 3) * 4) throw new AppError('payload_too_large', `${at}[${i}] is over 10 MiB`);
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(m.content);
    } catch {
      errors.push({ path: `${at}[${i}].content`, message: 'not base64' });
      contents.push(new Uint8Array());
      continue;
    }
    if (bytes.byteLength > MAX_MATERIAL_BYTES) throw new AppError('payload_too_large', `${at}[${i}] is over 10 MiB`);
    if (bytes.byteLength !== m.size) errors.push({ path: `${at}[${i}].size`, message: `is ${m.size}, the content has ${bytes.byteLength} bytes` });
    if (hex(await ctx.engine.sha256(bytes)) !== m.sha256) errors.push({ path: `${at}[${i}].sha256`, message: 'does not match the content' });
    contents.push(bytes);
  }
  if (errors.length) throw new AppError('invalid_request', 'materials do not match their declared size or sha256', { errors });
  return contents;
}
