import { z } from '@hono/zod-openapi';
import { HOPS } from '../../../services/partners/schema';
import { CASE_STATUSES } from '../../../services/cases/state-machine';
import { SIDES } from '../../../services/cases/events-schema';
import { OVERDUE_PAGE } from '../../../services/supervision/overdue';

const status = z.enum(Object.keys(CASE_STATUSES) as [keyof typeof CASE_STATUSES, ...(keyof typeof CASE_STATUSES)[]]);

/** `limit` and `cursor` of a page (the cursor is the previous page's `nextCursor`). */
export const pageQuery = (max: number, dflt: number) => ({
  limit: z.coerce.number().int().min(1).max(max).optional().openapi({ description: `at most ${max}; default ${dflt}` }),
  cursor: z.string().min(1).max(200).optional().openapi({ description: "the previous page's nextCursor" }),
});

export const overdueQuery = z.object(pageQuery(OVERDUE_PAGE.max, OVERDUE_PAGE.default)).strict();

export const overdueListSchema = z.object({
  cases: z.array(z.object({
    ref: z.string(),
    caseId: z.string().openapi({ description: "the intake member's case number" }),
    item: z.string(),
    side: z.enum(SIDES),
    status,
    hop: z.enum(HOPS).nullable(),
    late: z.enum(['hop', 'deadline']).openapi({ description: "which ran out first: the hop's SLA (agreement slaHours) or the item's 承诺/法定办结时限" }),
    dueAt: z.string(),
    hopDueAt: z.string().nullable(),
    deadlineAt: z.string().nullable(),
    overdueHours: z.number(),
    overdueWorkingDays: z.number().int(),
  })),
  nextCursor: z.string().nullable(),
}).openapi('OverdueCases', { description: "This member's overdue cases (paused ones, 补正, left out), the most overdue first" });
