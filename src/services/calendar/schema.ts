import { z } from 'zod';
import { isDay, weekdayOf, yearOf } from './china-day';

/** `national`, or a region by its administrative division code (行政区划代码), as in the registry (`370000`). */
export const CALENDAR_REGION = /^(national|\d{6})$/;
const day = z.string().refine(isDay, 'must be a real date YYYY-MM-DD');

/**
 * One region's days for one year. `holidays`: days off (a 放假 stretch may list its weekend days too);
 * `workdays`: make-up working days on a weekend (调休上班). A region inherits the national year and adds to it.
 */
export const calendarYearSchema = z.object({
  region: z.string().regex(CALENDAR_REGION, 'must be national or a 6-digit division code'),
  year: z.number().int().min(2000).max(2100),
  holidays: z.array(day),
  workdays: z.array(day),
  /** The notice the days come from. */
  source: z.object({
    title: z.string().min(1).max(200),
    documentNo: z.string().min(1).max(100).optional(),
    issuedOn: day.optional(),
    /** Where the text was read; not necessarily the issuer's own page. */
    url: z.url({ protocol: /^https?$/ }).optional(),
  }).strict(),
  /** `checked` once an operator compared the days with the published notice. */
  status: z.enum(['checked', 'unchecked']),
  note: z.string().max(1000).optional(),
}).strict().superRefine((y, ctx) => {
  for (const key of ['holidays', 'workdays'] as const) {
    y[key].forEach((d, i) => {
      if (isDay(d) && yearOf(d) !== y.year) ctx.addIssue({ code: 'custom', path: [key, i], message: `${d} is not in ${y.year}` });
    });
  }
  y.workdays.forEach((d, i) => {
    if (isDay(d) && weekdayOf(d) !== 0 && weekdayOf(d) !== 6) ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${d} is a weekday: a make-up working day falls on a weekend` });
    if (y.holidays.includes(d)) ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${d} is also a holiday` });
  });
});

/** A file `partners/calendar/<region>.json`: that region's years, each year once. */
export const calendarFileSchema = z.array(calendarYearSchema).min(1)
  .refine((ys) => new Set(ys.map((y) => y.region)).size === 1, 'a file holds one region')
  .refine((ys) => new Set(ys.map((y) => y.year)).size === ys.length, 'a year appears twice');

export type CalendarYear = z.infer<typeof calendarYearSchema>;
