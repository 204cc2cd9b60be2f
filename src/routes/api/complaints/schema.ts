import { z } from '@hono/zod-openapi';
import { CASE_REF } from '../../../services/cases/case-events';
import {
  COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS, COMPLAINT_EVENT_TYPES, COMPLAINT_ID, COMPLAINT_PAGE, COMPLAINT_PHONE, COMPLAINT_STATES,
} from '../../../services/complaints/rules';
import { pageQuery } from '../supervision/schema';

// Made here with @hono/zod-openapi's z, so `.openapi()` is safe; services give only constants and regexes.
const text = (max: number) => z.string().trim().min(1).max(max);
/** Kept in clear: one line of printable text (PostgreSQL text refuses NUL; a line break has no place in a subject or a name). */
const isControl = (c: number) => c < 0x20 || c === 0x7f;
const line = (max: number) => text(max).refine((v) => ![...v].some((ch) => isControl(ch.charCodeAt(0))), 'must not contain control characters');
/** Before 2000 the working-day calendar has no years: such a date is a typing error. */
const EARLIEST = Date.parse('2000-01-01T00:00:00+08:00');

export const complaintParams = z.object({ id: z.string().regex(COMPLAINT_ID, 'must be a complaint id such as cp_Jx3o9cV2bq1mT8aQ') });

export const newComplaintSchema = z.object({
  channel: z.enum(COMPLAINT_CHANNELS).openapi({ description: '网络, 实体窗口, 热线电话, 意见箱(簿), 邮箱' }),
  category: z.enum(COMPLAINT_CATEGORIES),
  subject: line(100).openapi({ example: '窗口等候时间过长' }),
  content: text(4000).openapi({ description: 'sealed at rest' }),
  complainant: z.object({
    name: line(50).optional(),
    phone: z.string().regex(COMPLAINT_PHONE, 'must be a phone number').optional().openapi({ description: 'sealed at rest; answered only masked (138****5678)' }),
  }).strict().optional(),
  caseRef: z.string().regex(CASE_REF, 'must be a case ref such as cs_Jx3o9cV2bq1mT8aQ').optional(),
  windowId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a window id such as kuayu-1').optional(),
  receivedAt: z.iso.datetime({ offset: true }).refine((v) => !(Date.parse(v) < EARLIEST), 'must be in 2000 or later').optional().openapi({ description: 'when it reached the member; default now', example: '2026-03-02T09:00:00+08:00' }),
}).strict().openapi('NewComplaint', { description: 'A complaint or opinion from any channel (统一受理)' });

export const replySchema = z.object({ reply: text(4000).openapi({ description: 'the answer to the complainant; sealed at rest' }) }).strict().openapi('ComplaintReply');

export const complaintListQuery = z.object({
  state: z.enum(COMPLAINT_STATES).optional(),
  channel: z.enum(COMPLAINT_CHANNELS).optional(),
  category: z.enum(COMPLAINT_CATEGORIES).optional(),
  overdue: z.enum(['true', 'false']).optional().openapi({ description: 'only open complaints past their reply date' }),
  ...pageQuery(COMPLAINT_PAGE.max, COMPLAINT_PAGE.default),
}).strict();

const eventSchema = z.object({
  type: z.enum(COMPLAINT_EVENT_TYPES),
  at: z.string(),
  actor: z.string().openapi({ description: 'a clerk id, or `system` for an escalation' }),
  level: z.number().int().nullable().openapi({ description: 'the level reached, for an escalation' }),
}).openapi('ComplaintEvent');

const complaintFields = {
  id: z.string().openapi({ example: 'cp_Jx3o9cV2bq1mT8aQ' }),
  channel: z.enum(COMPLAINT_CHANNELS),
  category: z.enum(COMPLAINT_CATEGORIES),
  subject: z.string(),
  content: z.string(),
  complainant: z.object({ name: z.string().nullable(), phoneMasked: z.string().nullable().openapi({ example: '138****5678' }) }),
  caseRef: z.string().nullable(),
  windowId: z.string().nullable(),
  state: z.enum(COMPLAINT_STATES),
  receivedAt: z.string(),
  replyDueAt: z.string().openapi({ description: 'the end (24:00 Beijing) of the last working day of the reply period' }),
  overdue: z.boolean().openapi({ description: 'open and past replyDueAt' }),
  escalationLevel: z.number().int().openapi({ description: 'one more each reply period that passes unanswered' }),
  escalatedAt: z.string().nullable(),
  repliedAt: z.string().nullable(),
  reply: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdBy: z.string(),
};

export const complaintSchema = z.object({ ...complaintFields, events: z.array(eventSchema) }).openapi('Complaint');

export const complaintListSchema = z.object({
  complaints: z.array(z.object(complaintFields).openapi('ComplaintSummary', { description: 'A complaint without its events' })),
  nextCursor: z.string().nullable(),
}).openapi('Complaints');
