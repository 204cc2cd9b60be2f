import { asc, eq } from 'drizzle-orm';
import type { CaseSubmission } from '../../../../adapters/types';
import { caseMaterials } from '../../../db/schema/index';
import type { CaseCtx } from '../case-ctx';
import type { CaseRow } from '../intake/types';

type Intake = CaseSubmission['intake'];

/** A handling case as its back office gets it: the sealed ID number and phone opened, the materials as received. */
export async function buildSubmission(ctx: Pick<CaseCtx, 'db' | 'sealer'>, row: CaseRow): Promise<CaseSubmission> {
  const materials = await ctx.db.select().from(caseMaterials).where(eq(caseMaterials.caseRef, row.ref)).orderBy(asc(caseMaterials.position));
  const intake = row.intake as Intake;
  const phone = row.applicantPhoneSealed ? await ctx.sealer.open(row.applicantPhoneSealed) : undefined;
  return {
    caseRef: row.ref, itemCode: row.itemCode, mode: row.mode as CaseSubmission['mode'],
    applicant: {
      kind: row.applicantKind as CaseSubmission['applicant']['kind'], name: row.applicantName, idType: row.applicantIdType,
      idNumber: await ctx.sealer.open(row.applicantIdSealed), ...(phone ? { phone } : {}),
    },
    intake: { member: intake.member, window: intake.window, clerk: intake.clerk, receivedAt: intake.receivedAt },
    materials: materials.map((m) => ({ requirement: m.requirement, name: m.name, mediaType: m.mediaType, size: m.size, sha256: m.sha256, content: m.content })),
    ...(row.form ? { form: row.form as Record<string, unknown> } : {}),
    delivery: row.delivery as CaseSubmission['delivery'],
  };
}
