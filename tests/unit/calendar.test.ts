import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CalendarGapError, createCalendar } from '../../src/services/calendar/calendar';
import { calendarFileSchema, calendarYearSchema, type CalendarYear } from '../../src/services/calendar/schema';
import { hopDeadline, STATUTORY_WORKING_DAYS, supplementNoticeLate, workingDayDeadline } from '../../src/services/calendar/sla';

const national = calendarFileSchema.parse(JSON.parse(readFileSync(new URL('../../partners/calendar/national.json', import.meta.url), 'utf8')));
const cal = createCalendar(national);
const bj = (local: string): number => Date.parse(`${local}+08:00`);
const H = 3_600_000;
const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 24 * H) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};

describe('the national calendar data (partners/calendar/national.json)', () => {
  it('covers 2025 and 2026, each year with its notice and marked for an operator to check', () => {
    expect(national.map((y) => y.year)).toEqual([2025, 2026]);
    for (const y of national) {
      expect(y.source.title).toBe(`国务院办公厅关于${y.year}年部分节假日安排的通知`);
      expect(y.status).toBe('unchecked');
      expect(y.note).toMatch(/must check/);
    }
    expect(national[0]!.source.documentNo).toBe('国办发明电〔2024〕12号');
  });
});

describe('isWorkingDay', () => {
  it('takes the Spring Festival stretch off and works its make-up weekend days (2025 and 2026)', () => {
    for (const d of days('2025-01-28', '2025-02-04')) expect(cal.isWorkingDay(d), d).toBe(false);
    for (const d of days('2026-02-15', '2026-02-23')) expect(cal.isWorkingDay(d), d).toBe(false);
    for (const d of ['2025-01-26', '2025-02-08', '2026-02-14', '2026-02-28']) expect(cal.isWorkingDay(d), d).toBe(true);
    expect(cal.isWorkingDay('2025-02-05')).toBe(true);
    expect(cal.isWorkingDay('2026-02-24')).toBe(true);
  });

  it('takes the National Day stretch off and works its make-up days', () => {
    for (const d of days('2025-10-01', '2025-10-08')) expect(cal.isWorkingDay(d), d).toBe(false);
    for (const d of days('2026-10-01', '2026-10-07')) expect(cal.isWorkingDay(d), d).toBe(false);
    for (const d of ['2025-09-28', '2025-10-11', '2026-09-20', '2026-10-10']) expect(cal.isWorkingDay(d), d).toBe(true);
    expect(cal.isWorkingDay('2026-10-08')).toBe(true);
  });

  it('counts plain weekends off and plain weekdays on', () => {
    expect(cal.isWorkingDay('2025-03-08')).toBe(false);
    expect(cal.isWorkingDay('2025-03-09')).toBe(false);
    expect(cal.isWorkingDay('2025-03-10')).toBe(true);
  });

  it('reads an instant in China time: the day turns at 16:00 UTC', () => {
    expect(cal.isWorkingDay(Date.parse('2025-01-27T15:59:59.999Z'))).toBe(true); // Monday 23:59 in Beijing
    expect(cal.isWorkingDay(Date.parse('2025-01-27T16:00:00Z'))).toBe(false); // 除夕 00:00 in Beijing
  });

  it('refuses a year without data unless told to count weekends only', () => {
    expect(() => cal.isWorkingDay('2027-03-01')).toThrow(CalendarGapError);
    expect(createCalendar(national, { uncovered: 'weekends' }).isWorkingDay('2027-03-01')).toBe(true);
  });
});

describe('addWorkingDays and workingDaysBetween', () => {
  it('skip a holiday stretch and count make-up days', () => {
    expect(cal.addWorkingDays('2025-01-27', 1)).toBe('2025-02-05');
    expect(cal.addWorkingDays('2025-01-24', 2)).toBe('2025-01-27'); // Sunday 1/26 is a working day
    expect(cal.addWorkingDays('2025-09-26', 20)).toBe('2025-10-30');
    expect(cal.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
  });

  it('start from the China day of an instant, and 0 days is the day itself (即办件)', () => {
    expect(cal.addWorkingDays(Date.parse('2025-01-27T16:30:00Z'), 1)).toBe('2025-02-05');
    expect(cal.addWorkingDays('2025-02-01', 0)).toBe('2025-02-01');
    expect(() => cal.addWorkingDays('2025-02-01', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2025-02-30', 1)).toThrow(RangeError);
  });

  it('count back what addWorkingDays counted forward', () => {
    for (const start of ['2025-01-20', '2025-09-25', '2025-12-29', '2026-02-10']) {
      for (const n of [0, 1, 5, 20, 30]) expect(cal.workingDaysBetween(start, cal.addWorkingDays(start, n)), `${start} + ${n}`).toBe(n);
    }
    expect(cal.workingDaysBetween('2025-02-05', '2025-01-27')).toBe(-1);
  });
});

describe('a region on top of the national calendar', () => {
  // Made-up test data: a regional holiday on Monday 2025-03-31 and a regional make-up Saturday.
  const regional: CalendarYear = calendarYearSchema.parse({
    region: '450000', year: 2025, holidays: ['2025-03-31'], workdays: ['2025-03-29'],
    source: { title: 'test data' }, status: 'unchecked',
  });
  const gx = createCalendar(national, { region: '450000', regional: [regional] });

  it('adds the region\'s own days and keeps the national ones', () => {
    expect(gx.isWorkingDay('2025-03-31')).toBe(false);
    expect(gx.isWorkingDay('2025-03-29')).toBe(true);
    expect(cal.isWorkingDay('2025-03-31')).toBe(true);
    expect(gx.isWorkingDay('2025-10-01')).toBe(false);
    expect(gx.addWorkingDays('2025-03-28', 2)).toBe('2025-04-01');
  });

  it('refuses data for another region', () => {
    expect(() => createCalendar(national, { region: '510000', regional: [regional] })).toThrow(/450000/);
  });
});

describe('the calendar data schema', () => {
  const good = { region: 'national', year: 2025, holidays: ['2025-01-01'], workdays: ['2025-01-26'], source: { title: 't' }, status: 'unchecked' };
  it.each([
    ['a make-up day on a weekday', { workdays: ['2025-01-27'] }],
    ['a day of another year', { holidays: ['2024-12-31'] }],
    ['a date that does not exist', { holidays: ['2025-02-29'] }],
    ['a day both off and on', { holidays: ['2025-01-26'] }],
    ['a region that is not a division code', { region: 'guangxi' }],
    ['no status', { status: undefined }],
  ])('refuses %s', (_, change) => {
    expect(calendarYearSchema.safeParse({ ...good, ...change }).success).toBe(false);
  });

  it('refuses a file mixing regions or repeating a year', () => {
    expect(calendarFileSchema.safeParse([good, { ...good, year: 2026, holidays: [], workdays: [] }]).success).toBe(true);
    expect(calendarFileSchema.safeParse([good, good]).success).toBe(false);
    expect(calendarFileSchema.safeParse([good, { ...good, region: '450000', year: 2026, holidays: [], workdays: [] }]).success).toBe(false);
  });
});

describe('working-day deadlines with pauses', () => {
  const accepted = bj('2025-03-03T10:00:00'); // Monday; 20 working days end on Monday 3/31

  it('end at 24:00 Beijing on the last working day', () => {
    const r = workingDayDeadline(cal, { start: accepted, days: STATUTORY_WORKING_DAYS.decide, now: accepted });
    expect(new Date(r.dueAt).toISOString()).toBe('2025-03-31T16:00:00.000Z');
    expect(r).toMatchObject({ paused: false, overdue: false });
  });

  it('move by the working days a supplement paused, across Qingming', () => {
    const pauses = [{ from: bj('2025-03-10T00:00:00'), to: bj('2025-03-15T00:00:00') }]; // Mon-Fri paused
    const r = workingDayDeadline(cal, { start: accepted, days: 20, pauses, now: bj('2025-04-01T09:00:00') });
    expect(new Date(r.dueAt).toISOString()).toBe('2025-04-08T16:00:00.000Z'); // 4/4-4/6 off
    expect(r.overdue).toBe(false);
  });

  it('round a part-day pause up to the end of the day the time runs out', () => {
    const pauses = [{ from: bj('2025-03-10T15:00:00'), to: bj('2025-03-11T11:00:00') }]; // 20 hours
    const r = workingDayDeadline(cal, { start: accepted, days: 20, pauses, now: accepted });
    expect(new Date(r.dueAt).toISOString()).toBe('2025-04-01T16:00:00.000Z');
  });

  it('ignore a pause over a weekend: those days did not count anyway', () => {
    const pauses = [{ from: bj('2025-03-08T00:00:00'), to: bj('2025-03-10T00:00:00') }];
    expect(workingDayDeadline(cal, { start: accepted, days: 20, pauses, now: accepted }).dueAt).toBe(Date.parse('2025-03-31T16:00:00Z'));
  });

  it('hold a paused case, due as if resumed now, and never overdue for the pause', () => {
    const pauses = [{ from: bj('2025-03-10T00:00:00') }];
    const r = workingDayDeadline(cal, { start: accepted, days: 20, pauses, now: bj('2025-03-12T00:00:00') });
    expect(r).toMatchObject({ paused: true, overdue: false });
    expect(new Date(r.dueAt).toISOString()).toBe('2025-04-02T16:00:00.000Z');
  });

  it('flag overdue from the first instant after the deadline', () => {
    const at = (now: number) => workingDayDeadline(cal, { start: accepted, days: 20, now }).overdue;
    expect(at(Date.parse('2025-03-31T16:00:00Z'))).toBe(false);
    expect(at(Date.parse('2025-03-31T16:00:00.001Z'))).toBe(true);
  });

  it('give an on-the-spot item (0 days) the rest of its China day', () => {
    expect(workingDayDeadline(cal, { start: Date.parse('2025-03-03T15:59:00Z'), days: 0, now: 0 }).dueAt).toBe(Date.parse('2025-03-03T16:00:00Z'));
    expect(workingDayDeadline(cal, { start: Date.parse('2025-03-03T16:00:00Z'), days: 0, now: 0 }).dueAt).toBe(Date.parse('2025-03-04T16:00:00Z'));
  });

  it('report a supplement request after 5 working days as late; a make-up Sunday counts', () => {
    const received = bj('2025-01-20T10:00:00');
    expect(supplementNoticeLate(cal, received, bj('2025-01-26T20:00:00'))).toBe(false);
    expect(supplementNoticeLate(cal, received, bj('2025-01-27T09:00:00'))).toBe(true);
  });
});

describe('hop deadlines in calendar hours', () => {
  const start = bj('2025-03-03T10:00:00');

  it('add the hours, and the paused time', () => {
    expect(hopDeadline({ start, hours: 24, now: start }).dueAt).toBe(start + 24 * H);
    const pauses = [{ from: start + 1 * H, to: start + 4 * H }, { from: start + 2 * H, to: start + 5 * H }]; // overlapping: 4 h
    expect(hopDeadline({ start, hours: 24, pauses, now: start + 10 * H }).dueAt).toBe(start + 28 * H);
  });

  it('flag overdue past the due time; a pause begun after it does not rescue the case', () => {
    expect(hopDeadline({ start, hours: 24, now: start + 25 * H })).toMatchObject({ overdue: true, paused: false });
    const late = hopDeadline({ start, hours: 24, pauses: [{ from: start + 30 * H }], now: start + 40 * H });
    expect(late).toMatchObject({ dueAt: start + 24 * H, paused: true, overdue: true });
  });

  it('hold a case paused in time, due as if resumed now', () => {
    const r = hopDeadline({ start, hours: 24, pauses: [{ from: start + 20 * H }], now: start + 50 * H });
    expect(r).toMatchObject({ dueAt: start + 54 * H, paused: true, overdue: false });
  });
});
