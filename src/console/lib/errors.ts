import type { ApiError, FieldError } from './api';

/**
 * The gateway answers in English (handshake/1 §6 is shared by every member); the counter reads Chinese.
 * A field's message is made from its Chinese name and what the gateway found, matched by pattern; an
 * unknown message still names the field in Chinese and keeps the gateway's words after it.
 */
const FIELD_NAMES: Record<string, string> = {};

export function nameFields(names: Record<string, string>): void {
  Object.assign(FIELD_NAMES, names);
}

const MESSAGE_PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Required$|expected .*, received undefined|required/i, () => '为必填项'],
  [/too (small|short)|at least|>=\s*1 character|must not be empty/i, () => '不能为空或过短'],
  [/too (big|long)|at most/i, () => '超出长度限制'],
  [/checksum|check digit|校验/i, () => '校验位不正确，请核对号码'],
  [/invalid (option|enum)|expected one of/i, () => '请从列表中选择'],
  [/must be a phone number/i, () => '应为电话号码（5-20 位数字）'],
  [/address is needed/i, () => '邮寄送达需要填写收件地址'],
  [/must have consented/i, () => '须经申请人同意数据共享'],
  [/datetime|date/i, () => '日期时间格式不正确'],
  [/number|integer/i, () => '应为数字'],
];

/** The Chinese message for one field error. */
export function fieldMessage(e: FieldError): string {
  const name = FIELD_NAMES[e.path] ?? FIELD_NAMES[e.path.replace(/\.\d+(\.|$)/, '.*$1')] ?? '';
  for (const [re, say] of MESSAGE_PATTERNS) {
    const m = re.exec(e.message);
    if (m) return `${name}${say(m)}`;
  }
  return `${name ? `${name}：` : ''}填写有误（${e.message}）`;
}

const CODE_MESSAGES: Record<string, string> = {
  network: '无法连接网关，请检查网络后重试',
  not_authorized: '没有权限执行此操作',
  not_found: '未找到该记录，可能不属于本单位',
  invalid_transition: '当前状态下不能执行此操作',
  idempotency_conflict: '该操作已提交过，内容不同，请刷新后再试',
  payload_too_large: '文件过大（单个材料不超过 10 MiB）',
  unsupported_media_type: '不支持的文件类型',
  rate_limited: '操作过于频繁，请稍后再试',
  upstream_unavailable: '对方系统暂不可用，请稍后再试',
  upstream_timeout: '对方系统响应超时，请稍后再试',
  invalid_request: '填写有误，请按提示修改',
  internal: '网关内部错误，请联系运维人员',
};

/** One sentence for the whole error (the banner above a form). */
export function problemMessage(e: ApiError): string {
  if (e.status === 401) return '登录已失效，请重新输入工作令牌';
  const general = CODE_MESSAGES[e.code] ?? `请求失败（${e.status}）`;
  // The gateway's detail is kept for the clerk to quote to support, never a secret (§6: a 500 says nothing).
  return e.problem.detail && e.code !== 'invalid_request' ? `${general}：${e.problem.detail}` : general;
}
