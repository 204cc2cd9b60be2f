import { z } from '@hono/zod-openapi';
import { MEMBER_ID, MODES } from '../../../federation/registry/schema';
import { isDay } from '../../../services/calendar/china-day';
import { ITEM_CODE } from '../../../services/catalog/item-schema';
import { CASE_REF } from '../../../services/cases/case-events';
import { MATERIAL_MEDIA_TYPES } from '../../../services/cases/intake/types';
import { CASE_STATUSES } from '../../../services/cases/state-machine';

// Every schema here is made here, so `.openapi()` is safe on it; none is taken from services (zod 4 copies
// methods onto a schema when it is made, and one made before @hono/zod-openapi was imported has none).
const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true });
const chinaDate = z.string().refine(isDay, 'must be a date YYYY-MM-DD');
const status = z.enum(Object.keys(CASE_STATUSES) as [keyof typeof CASE_STATUSES, ...(keyof typeof CASE_STATUSES)[]]);
const delivery = z.object({ method: z.enum(['window', 'post', 'electronic']), address: text(300).optional() }).strict()
  .refine((d) => d.method !== 'post' || !!d.address, { message: 'an address is needed to deliver by post', path: ['address'] });

const stepId = z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be 1-32 of a-z, 0-9 and -');
const jointStep = z.object({
  id: stepId.openapi({ example: 'zqz' }),
  member: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a member id').openapi({ example: 'chengdu-gx' }),
  dependsOn: z.array(stepId).max(8).default([]).openapi({ description: 'the steps that must be done (approved) before this one is sent' }),
}).strict();

export const intakeCaseParams = z.object({ ref: z.string().regex(CASE_REF, 'must be a case ref such as cs_Jx3o9cV2bq1mT8aQ') });

export const newIntakeCaseSchema = z.object({
  itemCode: z.string().min(1).max(64).openapi({ example: 'KS-GJJ-003' }),
  mode: z.enum(MODES),
  applicant: z.object({
    kind: z.enum(['person', 'organization']),
    name: text(100).openapi({ example: '李四' }),
    idType: text(32).openapi({ example: 'resident_id' }),
    idNumber: text(64).openapi({ description: 'sealed at rest; answers carry only applicantIdMasked' }),
    phone: z.string().regex(/^[0-9+\- ]{5,20}$/, 'must be a phone number').optional().openapi({ description: 'sealed at rest; never answered' }),
  }).strict(),
  identityCheck: z.object({ method: text(64).openapi({ example: 'id_card_reader' }), result: text(64).openapi({ example: 'passed' }) }).strict(),
  delivery,
  consent: z.object({ dataSharing: z.literal(true, 'the applicant must have consented to data sharing'), at: instant }).strict(),
  form: z.record(z.string(), z.unknown()).optional(),
  steps: z.array(jointStep).min(2, 'a joint case has 2 to 8 steps').max(8, 'a joint case has 2 to 8 steps').optional().openapi({
    description: 'mode joint (多地联办) only, and then required: the steps, each at one member, in order (dependsOn) or in parallel',
    example: [{ id: 'zqz', member: 'chengdu-gx', dependsOn: [] }, { id: 'qc', member: 'xihaike', dependsOn: ['zqz'] }],
  }),
}).strict().openapi('NewIntakeCase', { description: 'A case taken in at this window; the window and clerk come from the token' });

export const materialSchema = z.object({
  position: z.number().int(),
  requirement: z.string().openapi({ example: 'id-card' }),
  name: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
}).openapi('IntakeMaterial', { description: 'A material of a case, without its content' });

export const newMaterialSchema = z.object({
  requirement: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "must be one of the item's material ids").openapi({ example: 'id-card' }),
  name: text(200).openapi({ example: '居民身份证' }),
  mediaType: z.enum(MATERIAL_MEDIA_TYPES),
  content: z.string().min(1).openapi({ description: 'base64, at most 10 MiB decoded' }),
}).strict().openapi('NewIntakeMaterial');

const jointStepViewSchema = z.object({
  id: z.string(),
  member: z.string(),
  dependsOn: z.array(z.string()),
  state: z.enum(['pending', 'running', 'done', 'failed', 'blocked']).openapi({ description: 'blocked: never sent, because a step failed' }),
  ref: z.string().nullable().openapi({ description: "our ref of the step's case, once sent" }),
  remoteRef: z.string().nullable().openapi({ description: "the step's handling member's caseRef, from its receipt" }),
  receiptId: z.string().nullable(),
  status: status.nullable(),
  reason: z.string().optional().openapi({ description: 'why the step failed or is blocked' }),
}).openapi('JointStep');

export const intakeCaseSchema = z.object({
  ref: z.string().openapi({ example: 'cs_Jx3o9cV2bq1mT8aQ' }),
  role: z.enum(['intake', 'handling']).openapi({ description: 'intake: taken in at our window; handling: sent to us to decide' }),
  intakeMember: z.string(),
  caseId: z.string().openapi({ example: 'gaoxin-20261128-0001' }),
  itemCode: z.string(),
  mode: z.string(),
  state: status,
  applicant: z.object({ kind: z.string(), name: z.string(), idType: z.string() }),
  applicantIdMasked: z.string().openapi({ example: '370211********1234' }),
  window: z.string(),
  clerk: z.string(),
  delivery: z.object({ method: z.string(), address: z.string().optional() }),
  handlingMember: z.string().nullable(),
  remoteRef: z.string().nullable().openapi({ description: "the handling member's caseRef, from its receipt" }),
  receiptId: z.string().nullable(),
  materialsDigest: z.string().nullable().openapi({ description: '§7.1 materialsDigest: hex SHA-256 of the materials\' sha256 values joined with \\n, as the receipt states it' }),
  receivedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  materials: z.array(materialSchema),
  parentRef: z.string().optional().openapi({ description: 'a step of a joint case: the joint case it belongs to' }),
  step: z.string().optional().openapi({ description: 'a step of a joint case: its id' }),
  steps: z.array(jointStepViewSchema).optional().openapi({ description: 'a joint case: its steps, in the order they can run' }),
  hop: z.string().nullable().openapi({ description: 'the hop whose SLA runs now (transfer, accept, supplement, decide, ship, deliver)' }),
  hopDueAt: z.string().nullable().openapi({ description: "when the hop's SLA (the agreement's hours) runs out" }),
  deadlineAt: z.string().nullable().openapi({ description: "the item's promised (else statutory) deadline in working days, from acceptance, pauses excluded" }),
  paused: z.boolean().openapi({ description: 'the clock stands still: waiting for supplements (补正)' }),
  overdue: z.boolean(),
}).openapi('Case', { description: 'A case as a clerk of this member sees it; the ID number only masked, the phone never' });

export const caseListQuery = z.object({
  role: z.enum(['intake', 'handling']).optional(),
  state: status.optional(),
  overdue: z.enum(['true', 'false']).optional().openapi({ description: 'only cases past their SLA or deadline, the clock running' }),
  member: z.string().regex(MEMBER_ID, 'must be a member id').optional()
    .openapi({ description: 'the other member: the handling member of an intake case (of any step of a joint case), the intake member of a handling case', example: 'xihaike' }),
  item: z.string().regex(ITEM_CODE, 'must be an item code such as KS-GJJ-003').optional().openapi({ example: 'KS-GJJ-003' }),
  from: chinaDate.optional().openapi({ description: 'created on or after this China date (Asia/Shanghai)', example: '2026-03-01' }),
  to: chinaDate.optional().openapi({ description: 'created on or before this China date (Asia/Shanghai)', example: '2026-03-31' }),
  q: z.string().trim().max(100).optional().openapi({ description: 'a substring of the case ref, the intake case id or the applicant\'s name (case-insensitive); empty: no filter' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
}).refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'must not be before from', path: ['to'] });

export const intakeCaseListSchema = z.array(intakeCaseSchema).openapi('IntakeCaseList');

const missingSchema = z.object({
  id: z.string(), name: z.string(), requirement: z.enum(['required', 'conditional']), condition: z.string().optional(),
});

export const completenessSchema = z.object({
  complete: z.boolean(),
  missing: z.array(missingSchema).openapi({ description: 'required materials the case lacks' }),
  ifApplicable: z.array(missingSchema).openapi({ description: 'conditional materials the case lacks: needed if their condition applies' }),
  notice: z.string().openapi({ example: '一次性告知：办理“购房提取住房公积金”尚缺以下材料：1. 居民身份证。' }),
}).openapi('Completeness');

export const transferRequestSchema = z.object({
  to: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/).optional().openapi({ description: 'the handling member, when the registry lists several' }),
}).strict().openapi('TransferRequest');

const singleTransferSchema = z.object({
  ref: z.string(), state: z.literal('transferring'), to: z.string(),
  messageId: z.string().openapi({ example: 'ob_Jx3o9cV2bq1mT8aQ' }),
});

const jointTransferSchema = z.object({
  ref: z.string(), state: z.literal('transferring'),
  steps: z.array(z.object({ step: z.string(), to: z.string(), ref: z.string(), messageId: z.string() }))
    .openapi({ description: 'the steps sent now (those depending on no other); the others follow as their dependencies are done' }),
});

export const transferAnswerSchema = z.union([singleTransferSchema, jointTransferSchema])
  .openapi('TransferAnswer', { description: 'one transfer; for a joint case, one per step sent now' });
