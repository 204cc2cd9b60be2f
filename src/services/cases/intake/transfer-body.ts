import type { caseMaterials } from '../../../db/schema/index';
import { base64, hex, utf8 } from '../../../lib/encoding';
import { AppError } from '../../../lib/errors';
import { transferSchema, type TransferBody } from '../transfer-schema';
import type { CaseRow, IntakeCtx } from './types';

export const TRANSFER_KIND = 'case_transfer';

export type MaterialRow = typeof caseMaterials.$inferSelect;

/**
 * The §7.1 body, exactly per transferSchema (checked: a body we would refuse ourselves is our fault).
 * A joint step's case (mode joint) also carries its `step` and `jointId`.
 */
export async function transferBodyOf(ctx: Pick<IntakeCtx, 'sealer'>, row: CaseRow, materials: readonly MaterialRow[]): Promise<TransferBody> {
  const applicant = {
    kind: row.applicantKind, name: row.applicantName, idType: row.applicantIdType, idNumber: await ctx.sealer.open(row.applicantIdSealed),
    ...(row.applicantPhoneSealed ? { phone: await ctx.sealer.open(row.applicantPhoneSealed) } : {}),
  };
  const body = {
    caseId: row.intakeCaseId, itemCode: row.itemCode, mode: row.mode,
    ...(row.mode === 'joint' ? { step: row.step, jointId: row.jointId } : {}),
    applicant, intake: row.intake,
    materials: materials.map((m) => ({ requirement: m.requirement, name: m.name, mediaType: m.mediaType, size: m.size, sha256: m.sha256, content: base64(m.content) })),
    ...(row.form ? { form: row.form } : {}), delivery: row.delivery, consent: row.consent,
  };
  const parsed = transferSchema.safeParse(body);
  if (!parsed.success) throw new AppError('internal', `case ${row.ref} does not make a valid §7.1 body`, { cause: parsed.error });
  return parsed.data;
}

/** §7.1 `materialsDigest`: the hex SHA-256 of the materials' sha256 values joined with `\n`, in order. */
export async function materialsDigestOf(ctx: Pick<IntakeCtx, 'engine'>, materials: readonly { sha256: string }[]): Promise<string> {
  return hex(await ctx.engine.sha256(utf8(materials.map((m) => m.sha256).join('\n'))));
}
