import { z } from '@hono/zod-openapi';
import { CASE_REF } from '../../../services/cases/case-events';
import {
  EVALUATION_CHANNELS, EVALUATION_ID, EVALUATION_LEVELS, EVALUATION_STAGES, FOLLOW_UP_ACTIONS, FOLLOW_UP_STATES, MAX_COMMENT,
} from '../../../services/evaluations/schema';
import { EVALUATION_PAGE } from '../../../services/evaluations/list-evaluations';
import { pageQuery } from '../supervision/schema';

// Made here with @hono/zod-openapi's z, so `.openapi()` is safe; services give only constants and regexes.
const instant = z.iso.datetime({ offset: true });
const levels = Object.values(EVALUATION_LEVELS) as [string, ...string[]];

export const caseEvaluationsParams = z.object({ ref: z.string().regex(CASE_REF, 'must be a case ref such as cs_Jx3o9cV2bq1mT8aQ') });
export const evaluationParams = z.object({ id: z.string().regex(EVALUATION_ID, 'must be an evaluation id such as eva_Jx3o9cV2bq1mT8aQ') });

export const newEvaluationSchema = z.object({
  stage: z.enum(EVALUATION_STAGES).openapi({ description: 'accepted: 受理 (once the case was accepted); finished: 办结 (once it was decided)' }),
  score: z.number().int().min(1).max(5).openapi({ description: '5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意; 1 and 2 (差评) open a follow-up', example: 5 }),
  channel: z.enum(EVALUATION_CHANNELS),
  comment: z.string().max(MAX_COMMENT).optional().openapi({ description: "the applicant's own words; sealed at rest" }),
  at: instant.optional().openapi({ description: 'when the applicant gave it; default now', example: '2026-03-02T10:00:00+08:00' }),
}).strict().openapi('NewEvaluation', { description: "An applicant's evaluation (好差评) of a case, given to this member" });

const nullableInstant = z.string().nullable();

export const followUpSchema = z.object({
  state: z.enum(FOLLOW_UP_STATES),
  callbackDueAt: z.string().openapi({ description: 'HANDSHAKE_BAD_REVIEW_CALLBACK_DAYS working days after the evaluation, 24:00 Beijing' }),
  remedyDueAt: z.string().openapi({ description: 'HANDSHAKE_BAD_REVIEW_REMEDY_DAYS working days after the evaluation, 24:00 Beijing' }),
  calledBackAt: nullableInstant, calledBackBy: z.string().nullable(), callbackNote: z.string().nullable(),
  remediedAt: nullableInstant, remediedBy: z.string().nullable(), remedyNote: z.string().nullable(),
  closedAt: nullableInstant, closedBy: z.string().nullable(),
  callbackOverdue: z.boolean().openapi({ description: 'called back after callbackDueAt, or not yet and it has passed' }),
  remedyOverdue: z.boolean().openapi({ description: 'remedied after remedyDueAt, or not yet and it has passed' }),
}).openapi('EvaluationFollowUp', { description: "A 差评's follow-up at this member: call back, remedy, close" });

const evaluationFields = {
  id: z.string().openapi({ example: 'eva_Jx3o9cV2bq1mT8aQ' }),
  caseRef: z.string().openapi({ description: "this member's ref of the case" }),
  stage: z.enum(EVALUATION_STAGES),
  score: z.number().int(),
  level: z.enum(levels),
  channel: z.string().openapi({ description: 'one of ours, or what the forwarding member calls it' }),
  comment: z.string().nullable(),
  origin: z.string().openapi({ description: '`local`: given to this member; otherwise the member that forwarded it (handshake/1 §7.4)' }),
  recordedBy: z.string().nullable().openapi({ description: 'the clerk who recorded it; null when forwarded' }),
  at: z.string(),
  followUp: followUpSchema.nullable().openapi({ description: 'only for a 差评 (score 1 or 2) given to this member' }),
};

export const evaluationSchema = z.object(evaluationFields).openapi('Evaluation');
export const evaluationListSchema = z.array(evaluationSchema).openapi('CaseEvaluations');

export const evaluationPageSchema = z.object({
  evaluations: z.array(z.object({ ...evaluationFields, itemCode: z.string(), caseId: z.string().openapi({ description: "the intake member's case number" }) })),
  nextCursor: z.string().nullable(),
}).openapi('Evaluations');

/** A China date (the whole day) or an instant. */
const dayOrInstant = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), instant], 'must be a date YYYY-MM-DD or an ISO 8601 instant')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be a real date');

export const evaluationQuery = z.object({
  stage: z.enum(EVALUATION_STAGES).optional(),
  score: z.coerce.number().int().min(1).max(5).optional(),
  bad: z.enum(['true', 'false']).optional().openapi({ description: 'true: only 差评 (score 1 or 2)' }),
  followUp: z.enum(['open', 'overdue', 'closed']).optional().openapi({ description: 'open: not closed; overdue: not closed, a callback or remedy undone past its time; closed' }),
  from: dayOrInstant.optional().openapi({ description: 'on `at`, inclusive: a China date (from its start) or an instant' }),
  to: dayOrInstant.optional().openapi({ description: 'on `at`, inclusive: a China date (to its end) or an instant' }),
  ...pageQuery(EVALUATION_PAGE.max, EVALUATION_PAGE.default),
}).strict();

export const followUpActionSchema = z.object({
  action: z.enum(FOLLOW_UP_ACTIONS).openapi({ description: 'call_back (open -> called_back), remedy (called_back -> remedied), close (remedied -> closed; supervisors)' }),
  note: z.string().trim().min(1).max(1000).optional().openapi({ description: 'what was said or done; required for call_back and remedy' }),
}).strict().refine((b) => b.action === 'close' || b.note !== undefined, { message: 'a note is required for call_back and remedy', path: ['note'] })
  .openapi('FollowUpAction');
