import { AppError } from '../../lib/errors';
import { chinaDay, dayNumber, endOfChinaDay, startOfChinaDay, type Day } from '../calendar/china-day';

/** A statistics period: China dates, both included, and the instants that bound them. */
export interface Period {
  from: Day;
  to: Day;
  /** 00:00 Beijing of `from`. */
  start: Date;
  /** 24:00 Beijing of `to` (excluded). */
  end: Date;
  /** Every month the period touches, `YYYY-MM`, in order. */
  months: string[];
}

/** Five years of months is what a chart can show; longer is a typing error. */
const MAX_DAYS = 5 * 366;

const monthsBetween = (from: Day, to: Day): string[] => {
  const out: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    out.push(month);
    if (month >= last) return out;
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
};

/** The first day of the month `back` months before the month of `day`. */
const monthStart = (day: Day, back: number): Day => {
  const n = Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1 - back;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}-01`;
};

const invalid = (path: string, message: string) => new AppError('invalid_request', 'the query is not valid: 1 problem', { errors: [{ path, message }] });

/**
 * The period asked for (dates already checked as real dates), or by default the last 12 months: from
 * the first day of the month eleven months back to today, in China time.
 */
export function periodOf(input: { from?: Day; to?: Day }, now: number): Period {
  const to = input.to ?? chinaDay(now);
  const from = input.from ?? monthStart(to, 11);
  if (from > to) throw invalid('from', `is after to (${to})`);
  if (dayNumber(to) - dayNumber(from) > MAX_DAYS) throw invalid('from', 'the period is longer than five years');
  return { from, to, start: new Date(startOfChinaDay(from)), end: new Date(endOfChinaDay(to)), months: monthsBetween(from, to) };
}
