import type { Clock } from '../../lib/clock';
import type { Ids } from '../../lib/ids';
import type { Db } from '../../db/client';
import type { Deps } from '../../context';
import type { Sealer } from '../../lib/sealed';
import type { Logger } from '../../lib/logger';
import type { FollowUpSettings } from '../../config';
import type { WorkingCalendar } from '../calendar/calendar';
import { workingDayDeadline } from '../calendar/sla';

/** The channels the alliance names: 网络, 实体窗口, 热线电话, 意见箱(簿), 邮箱. */
export const COMPLAINT_CHANNELS = ['network', 'window', 'hotline', 'suggestion_box', 'mail'] as const;
/** 服务态度, 办事效率, 办事流程, 系统平台, 廉洁, 其他: what the complaint is about, for 分类处理. */
export const COMPLAINT_CATEGORIES = ['attitude', 'efficiency', 'process', 'system', 'integrity', 'other'] as const;
export const COMPLAINT_STATES = ['open', 'replied', 'closed'] as const;
export const COMPLAINT_EVENT_TYPES = ['received', 'escalated', 'replied', 'closed'] as const;
export const COMPLAINT_PHONE = /^[0-9+\- ]{5,20}$/;
export const COMPLAINT_ID = /^cp_[A-Za-z0-9_-]{16}$/;
export const COMPLAINT_PAGE = { default: 50, max: 200 } as const;

export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export type ComplaintState = (typeof COMPLAINT_STATES)[number];
export type ComplaintEventType = (typeof COMPLAINT_EVENT_TYPES)[number];

/** What the complaint services read and write through. */
export interface ComplaintCtx {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  ids: Ids;
  calendar: WorkingCalendar;
  followUp: FollowUpSettings;
  logger: Logger;
}

export const complaintCtxOf = (deps: Deps): ComplaintCtx => ({
  db: deps.database.db, sealer: deps.sealer, clock: deps.clock, ids: deps.ids,
  calendar: deps.calendar, followUp: deps.followUp, logger: deps.logger,
});

/**
 * The end (24:00 Beijing) of the `days`th working day after the China day of `from` (限时回复): a
 * complaint received on a Friday evening with 5 days is due at the end of the next Friday.
 */
export const replyDeadline = (calendar: WorkingCalendar, from: number, days: number): Date =>
  new Date(workingDayDeadline(calendar, { start: from, days, now: from }).dueAt);

/**
 * The next escalation after one due at `due`: another full reply period. `due` is a day's 24:00, the
 * first instant of the next day, so the period counts from the day that ended (hence the 1 ms).
 */
export const nextEscalation = (calendar: WorkingCalendar, due: Date, days: number): Date => replyDeadline(calendar, due.getTime() - 1, days);

/** A phone as answers show it: 138****5678; the digits alone, a +86 prefix dropped. */
export function maskPhone(phone: string): string {
  let digits = phone.replace(/\D/g, '');
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  if (digits.length >= 8) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return `${'*'.repeat(Math.max(digits.length - 2, 2))}${digits.slice(-2)}`;
}
