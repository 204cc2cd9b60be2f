import type { WorkingCalendar } from './calendar';
import { DAY_MS, chinaDay, endOfChinaDay, startOfChinaDay } from './china-day';

/** An interval in which the clock stood still (a supplement request until the supplements arrived); no `to`: still paused. */
export interface Pause {
  from: number;
  to?: number;
}

export interface SlaStatus {
  /** When the time runs out; while paused, as if the clock resumed at `now`. */
  dueAt: number;
  paused: boolean;
  overdue: boolean;
}

/** Time limits of the 行政许可法 still binding on the handling authority, in working days (art. 82). */
export const STATUTORY_WORKING_DAYS = {
  /** art. 32: supplements are asked for at once or within 5 days, in one notice (一次性告知). */
  supplementNotice: 5,
  /** art. 42: a decision within 20 days of acceptance, 10 more with the head of the authority's approval. */
  decide: 20,
  decideExtension: 10,
  /** art. 44: the certificate issued and delivered within 10 days of the decision. */
  deliver: 10,
} as const;

/** Pauses from `start` on, an open one ending at `now` (as if resumed then), sorted and merged. */
function settle(pauses: readonly Pause[], start: number, now: number): { from: number; to: number }[] {
  const spans = pauses
    .map((p) => ({ from: Math.max(p.from, start), to: p.to ?? Math.max(now, p.from) }))
    .filter((p) => p.to > p.from)
    .sort((a, b) => a.from - b.from);
  const merged: { from: number; to: number }[] = [];
  for (const p of spans) {
    const last = merged.at(-1);
    if (last && p.from <= last.to) last.to = Math.max(last.to, p.to);
    else merged.push({ ...p });
  }
  return merged;
}

const isPaused = (pauses: readonly Pause[], now: number): boolean => pauses.some((p) => p.from <= now && (p.to === undefined || p.to > now));

/** A hop's SLA (agreement `slaHours`): calendar hours from `start`, the pauses not counted. */
export function hopDeadline(input: { start: number; hours: number; pauses?: readonly Pause[]; now: number }): SlaStatus {
  const { start, now } = input;
  let t = start;
  let left = input.hours * 3_600_000;
  for (const p of settle(input.pauses ?? [], start, now)) {
    if (p.from >= t + left) break;
    left -= p.from - t;
    t = p.to;
  }
  const dueAt = t + left;
  return { dueAt, paused: isPaused(input.pauses ?? [], now), overdue: now > dueAt };
}

/**
 * A deadline in working days (法定 or 承诺办结时限) from `start`: counting begins the next China day, a
 * paused stretch of a working day does not count, and the deadline is the end (24:00 Beijing) of the day
 * the time runs out. 0 days (即办件) is due by the end of the start day.
 */
export function workingDayDeadline(calendar: WorkingCalendar, input: { start: number; days: number; pauses?: readonly Pause[]; now: number }): SlaStatus {
  const { start, now, days } = input;
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number >= 0, not ${days}`);
  const pauses = settle(input.pauses ?? [], start, now);
  let day = chinaDay(start);
  let due = endOfChinaDay(day);
  for (let left = days * DAY_MS, i = 0; left > 0; i++) {
    if (i > 3660) throw new RangeError(`${days} working days span more than ten years`);
    day = calendar.addWorkingDays(day, 1);
    const [from, to] = [startOfChinaDay(day), endOfChinaDay(day)];
    const stopped = pauses.reduce((ms, p) => ms + Math.max(0, Math.min(to, p.to) - Math.max(from, p.from)), 0);
    left -= DAY_MS - stopped;
    due = to;
  }
  return { dueAt: due, paused: isPaused(input.pauses ?? [], now), overdue: now > due };
}

/**
 * The 5-working-day rule for a supplement request (art. 32), reported, never enforced: a late request
 * is still a valid event, but it is late.
 */
export function supplementNoticeLate(calendar: WorkingCalendar, receivedAt: number, requestedAt: number): boolean {
  return workingDayDeadline(calendar, { start: receivedAt, days: STATUTORY_WORKING_DAYS.supplementNotice, now: requestedAt }).overdue;
}
