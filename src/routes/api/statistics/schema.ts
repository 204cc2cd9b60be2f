import { z } from '@hono/zod-openapi';
import { isDay } from '../../../services/calendar/china-day';

const day = z.string().refine(isDay, 'must be a real date YYYY-MM-DD');

export const statisticsQuery = z.object({
  from: day.optional().openapi({ description: 'China date, included; default the first day of the month eleven months back', example: '2026-01-01' }),
  to: day.optional().openapi({ description: 'China date, included; default today', example: '2026-03-31' }),
}).strict();

const count = z.number().int();
const rate = z.number().nullable();

export const statisticsSchema = z.object({
  from: z.string(),
  to: z.string(),
  totals: z.object({
    cases: count, finished: count, overdue: count, avgHandlingDays: z.number().nullable(),
    evaluations: count, good: count, bad: count, goodRate: rate, activeRate: rate,
  }),
  byItem: z.array(z.object({ itemCode: z.string(), itemName: z.string().nullable().openapi({ description: 'from the catalog in force; null when it lacks the item' }), cases: count, finished: count, overdue: count })),
  byMember: z.array(z.object({
    member: z.string().nullable().openapi({ description: 'the other member of the cases; null for cases taken in and not transferred yet' }),
    role: z.enum(['intake', 'handling']).openapi({ description: "this member's side of the cases" }),
    cases: count,
  })),
  byMode: z.array(z.object({ mode: z.string(), cases: count })),
  byMonth: z.array(z.object({ month: z.string().openapi({ example: '2026-03' }), cases: count, finished: count, evaluations: count, good: count })),
  definitions: z.object({ cases: z.string(), finished: z.string(), goodRate: z.string(), activeRate: z.string(), avgHandlingDays: z.string(), overdue: z.string() }),
}).openapi('Statistics', { description: "The member's figures for a period of China dates; `definitions` says what each one means" });
