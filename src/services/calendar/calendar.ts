import { addDays, chinaDay, dayNumber, dayOf, weekdayOf, yearOf, type Day } from './china-day';
import type { CalendarYear } from './schema';

/** A day the calendar has no data for: deadlines over it would be guesses. */
export class CalendarGapError extends Error {
  constructor(readonly region: string, readonly year: number) {
    super(`no ${region} calendar for ${year}: add partners/calendar data for it`);
    this.name = 'CalendarGapError';
  }
}

export interface WorkingCalendar {
  readonly region: string;
  /** The years with national data. */
  readonly years: readonly number[];
  /** A China civil date (`YYYY-MM-DD`) or an instant (epoch ms, read in China time). */
  isWorkingDay(at: Day | number): boolean;
  /**
   * The `n`th working day after the day of `start` (the start day itself is not counted, as in
   * 行政许可法 art. 82 and 民法典 art. 201); `n` = 0 is the start day itself (即办件, on the spot).
   */
  addWorkingDays(start: Day | number, n: number): Day;
  /** Working days after `from` up to and including `to`; negative when `to` is before `from`. */
  workingDaysBetween(from: Day | number, to: Day | number): number;
}

export interface CalendarOptions {
  /** Years without national data: `throw` (the default) a CalendarGapError, or count weekends only. */
  uncovered?: 'throw' | 'weekends';
}

const toDay = (at: Day | number): Day => (typeof at === 'number' ? chinaDay(at) : at);
const MAX_SPAN_DAYS = 3660;

/**
 * The working days of a region: weekends off, the national holidays and make-up days (调休), then the
 * region's own on top (a regional day wins over a national one on the same date).
 * @example
 * const cal = createCalendar(nationalYears, { region: '450000', regional: guangxiYears });
 * cal.addWorkingDays('2025-01-27', 1) // '2025-02-05': Spring Festival lies between
 */
export function createCalendar(national: readonly CalendarYear[], opts: CalendarOptions & { region?: string; regional?: readonly CalendarYear[] } = {}): WorkingCalendar {
  const region = opts.region ?? 'national';
  const off = new Map<Day, boolean>(); // date -> is it a day off
  const years = new Set<number>();
  for (const y of national) {
    if (y.region !== 'national') throw new Error(`national calendar data names region ${y.region}`);
    years.add(y.year);
  }
  for (const y of opts.regional ?? []) if (y.region !== region) throw new Error(`calendar data for ${y.region} given for region ${region}`);
  for (const y of [...national, ...(opts.regional ?? [])]) {
    for (const d of y.holidays) off.set(d, true);
    for (const d of y.workdays) off.set(d, false);
  }
  const isWorking = (day: Day): boolean => {
    const listed = off.get(day);
    if (listed !== undefined) return !listed;
    if (!years.has(yearOf(day)) && opts.uncovered !== 'weekends') throw new CalendarGapError(region, yearOf(day));
    const wd = weekdayOf(day);
    return wd !== 0 && wd !== 6;
  };
  const check = (day: Day): Day => {
    if (Number.isNaN(dayNumber(day))) throw new RangeError(`not a date: ${day}`);
    return day;
  };
  return {
    region,
    years: [...years].sort(),
    isWorkingDay: (at) => isWorking(check(toDay(at))),
    addWorkingDays(start, n) {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number >= 0, not ${n}`);
      let day = check(toDay(start));
      for (let left = n, i = 0; left > 0; i++) {
        if (i > MAX_SPAN_DAYS) throw new RangeError(`${n} working days span more than ${MAX_SPAN_DAYS} days`);
        day = addDays(day, 1);
        if (isWorking(day)) left--;
      }
      return day;
    },
    workingDaysBetween(from, to) {
      const [a, b] = [dayNumber(check(toDay(from))), dayNumber(check(toDay(to)))];
      const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
      if (hi - lo > MAX_SPAN_DAYS) throw new RangeError(`span longer than ${MAX_SPAN_DAYS} days`);
      let count = 0;
      for (let d = lo + 1; d <= hi; d++) if (isWorking(dayOf(d))) count++;
      return sign * count;
    },
  };
}
