/**
 * Client-side checks of an applicant's ID number, so a typing error is caught at the counter before the
 * case is sent (the gateway takes the number as given). Returns the Chinese problem, or null.
 */
const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECK = '10X98765432';

/** GB 11643-1999: 17 digits (area, birth date, sequence) and a check digit over them (ISO 7064 MOD 11-2). */
export function residentIdProblem(id: string): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return '居民身份证号码应为 18 位（前 17 位为数字，末位为数字或 X）';
  const birth = id.slice(6, 14);
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replaceAll('-', '') !== birth || birth < '18000101') {
    return '居民身份证号码中的出生日期不正确，请核对';
  }
  const sum = RESIDENT_WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  return RESIDENT_CHECK[sum % 11] === id[17] ? null : '居民身份证号码校验位不正确，请核对号码';
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015: 18 characters (no I, O, Z, S, V) and a check character over the first 17 (MOD 31). */
export function usccProblem(code: string): string | null {
  if (code.length !== 18 || [...code].some((c) => !USCC_CHARS.includes(c))) {
    return '统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）';
  }
  const sum = USCC_WEIGHTS.reduce((acc, w, i) => acc + w * USCC_CHARS.indexOf(code[i]!), 0);
  return USCC_CHARS[(31 - (sum % 31)) % 31] === code[17] ? null : '统一社会信用代码校验位不正确，请核对';
}

const OTHER_IDS: Record<string, [RegExp, string]> = {
  passport: [/^[A-Z0-9]{5,17}$/, '护照号码应为 5-17 位字母或数字'],
  hk_macao_permit: [/^[HM]\d{8,10}$/, '港澳居民来往内地通行证号码应为 H 或 M 加 8-10 位数字'],
  taiwan_permit: [/^\d{8}(\d{2})?$/, '台湾居民来往大陆通行证号码应为 8 或 10 位数字'],
};

/** The number as the counter should send it (upper case, no spaces) and its problem, if any. */
export function checkIdNumber(idType: string, raw: string): { value: string; problem: string | null } {
  const value = raw.replace(/\s+/g, '').toUpperCase();
  if (!value) return { value, problem: '证件号码为必填项' };
  if (idType === 'resident_id') return { value, problem: residentIdProblem(value) };
  if (idType === 'uscc') return { value, problem: usccProblem(value) };
  const rule = OTHER_IDS[idType];
  return { value, problem: rule && !rule[0].test(value) ? rule[1] : null };
}
