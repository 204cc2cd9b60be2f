/** Civil dates in China time (UTC+8 all year: no daylight saving since 1991), as `YYYY-MM-DD`. */
export type Day = string;

export const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a civil date, or NaN when it is not a real date (2025-02-29). */
export function dayNumber(day: Day): number {
  const m = DAY.exec(day);
  if (!m) return Number.NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? ms / DAY_MS : Number.NaN;
}

export const isDay = (day: string): boolean => !Number.isNaN(dayNumber(day));
export const dayOf = (n: number): Day => new Date(n * DAY_MS).toISOString().slice(0, 10);
export const yearOf = (day: Day): number => Number(day.slice(0, 4));
/** 0 Sunday ... 6 Saturday. */
export const weekdayOf = (day: Day): number => new Date(dayNumber(day) * DAY_MS).getUTCDay();
export const addDays = (day: Day, n: number): Day => dayOf(dayNumber(day) + n);

/** The China civil date an instant falls on: 2025-01-27T16:00:00Z is 2025-01-28 in Beijing. */
export const chinaDay = (ms: number): Day => dayOf(Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS));
/** The instant a China civil date begins (its 00:00 in Beijing, 16:00 UTC the day before). */
export const startOfChinaDay = (day: Day): number => dayNumber(day) * DAY_MS - CHINA_OFFSET_MS;
/** The instant a China civil date ends: 24:00 in Beijing, the start of the next day. */
export const endOfChinaDay = (day: Day): number => startOfChinaDay(day) + DAY_MS;
