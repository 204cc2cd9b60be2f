import { chinaToday } from '../../lib/format';

/** The register form as the clerk fills it; `complaintBody` makes POST /api/v1/complaints of it once `checkComplaint` passes. */
export interface ComplaintValues {
  channel: string;
  category: string;
  subject: string;
  content: string;
  name: string;
  phone: string;
  caseRef: string;
  windowId: string;
  /** `YYYY-MM-DDTHH:mm`, China time (a datetime-local input). */
  receivedAt: string;
}

/** Now in China as a datetime-local value, whatever the counter PC's time zone. */
export function chinaNowLocal(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

export const emptyComplaint = (): ComplaintValues => ({
  channel: '', category: '', subject: '', content: '', name: '', phone: '', caseRef: '', windowId: '', receivedAt: chinaNowLocal(),
});

/** The API's paths, named for its field errors (nameFields) and used as the fields' `name`. */
export const COMPLAINT_FIELDS: Record<string, string> = {
  channel: '受理渠道', category: '投诉分类', subject: '投诉事由', content: '投诉内容', 'complainant.name': '投诉人姓名',
  'complainant.phone': '联系电话', caseRef: '关联办件', windowId: '涉及窗口', receivedAt: '收到时间', reply: '回复内容',
};

const CASE_REF = /^cs_[A-Za-z0-9_-]{16}$/;
const WINDOW_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const PHONE = /^[0-9+\- ]{5,20}$/;
// A subject or a name is kept in clear on one line (the API refuses control characters there).
const hasControl = (s: string) => [...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
const toIso = (local: string) => `${local.length === 16 ? `${local}:00` : local}+08:00`;

/** Every problem at its field (the API's path), in Chinese; empty when the form may be sent. */
export function checkComplaint(v: ComplaintValues, now = new Date()): Record<string, string> {
  const e: Record<string, string> = {};
  if (!v.channel) e.channel = '请选择受理渠道';
  if (!v.category) e.category = '请选择投诉分类';
  const subject = v.subject.trim();
  if (!subject) e.subject = '投诉事由为必填项';
  else if (subject.length > 100) e.subject = '投诉事由不超过 100 个字';
  else if (hasControl(subject)) e.subject = '投诉事由须为一行文字';
  const content = v.content.trim();
  if (!content) e.content = '投诉内容为必填项';
  else if (content.length > 4000) e.content = '投诉内容不超过 4000 个字';
  if (v.name.trim().length > 50) e['complainant.name'] = '投诉人姓名不超过 50 个字';
  if (v.phone.trim() && !PHONE.test(v.phone.trim())) e['complainant.phone'] = '联系电话应为 5-20 位数字（可含 +、-、空格）';
  if (v.caseRef.trim() && !CASE_REF.test(v.caseRef.trim())) e.caseRef = '关联办件应为办件标识，如 cs_ 开头的 19 位编码';
  if (v.windowId.trim() && !WINDOW_ID.test(v.windowId.trim())) e.windowId = '窗口编号由小写字母、数字和 - 组成，如 kuayu-1';
  if (!v.receivedAt) e.receivedAt = '收到时间为必填项';
  else {
    const at = Date.parse(toIso(v.receivedAt));
    if (Number.isNaN(at)) e.receivedAt = '收到时间格式不正确';
    else if (at > now.getTime() + 60_000) e.receivedAt = '收到时间不能晚于现在';
    else if (v.receivedAt.slice(0, 10) < '2000-01-01') e.receivedAt = '收到时间不能早于 2000 年';
  }
  return e;
}

export function complaintBody(v: ComplaintValues) {
  const name = v.name.trim();
  const phone = v.phone.trim();
  return {
    channel: v.channel,
    category: v.category,
    subject: v.subject.trim(),
    content: v.content.trim(),
    ...(name || phone ? { complainant: { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } } : {}),
    ...(v.caseRef.trim() ? { caseRef: v.caseRef.trim() } : {}),
    ...(v.windowId.trim() ? { windowId: v.windowId.trim() } : {}),
    receivedAt: toIso(v.receivedAt),
  };
}

/** A default date for a letter entered later: today, for the date input's max. */
export const todayMax = () => `${chinaToday()}T23:59`;
