import type { PartnerConfig } from '../../src/services/partners/schema';
import { AdapterError, type AdapterErrorKind, type CallbackEvent, type CaseMaterial, type CaseSubmission, type PartnerState, type StatusReport } from '../types';
import { base64, itemForServiceCode, itemMapping, mapFields, mapStatus, submissionView, type ValueMaps } from '../common/tables';
import { XHK_TIME, type XhkCallback, type XhkCase } from './schema';

/** The fields the back office requires (sxbm, wbbh, sqrxm, zjlx, sfzh, sjsj, sdfs), in alliance terms. */
export const XHK_REQUIRED_FIELDS = ['serviceCode', 'caseRef', 'applicant.name', 'applicant.idType', 'applicant.idNumber', 'intake.receivedAt', 'delivery.method'] as const;

/** The back office's documented codes for alliance enumerations; a partner file's valueMaps go over them. */
export const XHK_VALUE_CODES: ValueMaps = {
  'delivery.method': { window: '1', post: '2', electronic: '3' }, // 送达方式: 窗口领取, 邮寄, 电子证照
  'applicant.kind': { person: '1', organization: '2' }, // 申请人类型: 自然人, 法人
};

/** Its event details -> §7.2 `data` names. */
const DATA_FIELDS = { zsbh: 'documentNo', kdgs: 'carrier', kddh: 'trackingNo', bzcl: 'items', bzqx: 'deadline' } as const;

/** Envelope codes -> error kinds; `token` means: refresh the token once and retry. */
export const XHK_CODES: Readonly<Record<number, AdapterErrorKind | 'token'>> = {
  40001: 'rejected', // 参数错误
  40100: 'token', // 令牌无效
  40101: 'token', // 令牌过期
  40102: 'auth', // 客户端认证失败
  40301: 'auth', // 无权访问
  40401: 'not_found', // 案件或事项不存在
  42201: 'rejected', // 业务校验失败
  42901: 'unavailable', // 请求过于频繁
  50000: 'unavailable', // 系统繁忙
  50301: 'unavailable', // 系统维护
};

export function kindForCode(code: number): AdapterErrorKind | 'token' {
  if (Object.hasOwn(XHK_CODES, code)) return XHK_CODES[code]!;
  if (code >= 40000 && code < 50000) return 'rejected';
  if (code >= 50000 && code < 60000) return 'unavailable';
  return 'bad_response';
}

const BEIJING_MS = 8 * 3600_000;

/** ISO instant -> `yyyy-MM-dd HH:mm:ss` Beijing time. */
export function toXhkTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new AdapterError('rejected', `"${iso}" is not a time`);
  return new Date(ms + BEIJING_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** `yyyy-MM-dd HH:mm:ss` Beijing time -> ISO instant (UTC); bad_response for a time that does not exist. */
export function fromXhkTime(s: string): string {
  const ms = XHK_TIME.test(s) ? Date.parse(`${s.replace(' ', 'T')}+08:00`) : NaN;
  if (Number.isNaN(ms) || toXhkTime(new Date(ms).toISOString()) !== s) throw new AdapterError('bad_response', `"${s}" is not a Beijing time`);
  return new Date(ms).toISOString();
}

/** CaseSubmission -> the body of `POST /api/v2/cases`: fieldMap names, coded values, 材料列表 cllb. */
export function toXhkCase(input: CaseSubmission, partner: PartnerConfig, valueMaps: ValueMaps = {}): Record<string, unknown> {
  const mapping = itemMapping(partner, input.itemCode);
  const view = { ...submissionView(input, mapping), intake: { ...input.intake, receivedAt: toXhkTime(input.intake.receivedAt) } };
  return {
    ...mapFields(view, mapping.fieldMap, { ...XHK_VALUE_CODES, ...valueMaps }),
    cllb: toXhkMaterials(input.materials),
  };
}

/** 材料列表 cllb, as both submission and supplement carry it. */
export function toXhkMaterials(materials: readonly CaseMaterial[]): Record<string, unknown>[] {
  return materials.map((m) => ({ clbm: m.requirement, clmc: m.name, wjlx: m.mediaType, wjdx: m.size, sha256: m.sha256, wjnr: base64(m.content) }));
}

/** The body of `POST /api/v2/cases/{ajid}/supplement`: 补正材料 as cllb, 补正说明 bzsm. */
export function toXhkSupplement(materials: readonly CaseMaterial[], note?: string): Record<string, unknown> {
  return { cllb: toXhkMaterials(materials), ...(note ? { bzsm: note } : {}) };
}

/** A numeric zt of a case of `sxbm` -> alliance state, via the item's then the partner-wide statusMap. */
export function xhkState(zt: number, sxbm: string | undefined, partner: PartnerConfig): PartnerState {
  return mapStatus(zt, [itemForServiceCode(partner, sxbm)?.statusMap, partner.statusMap], partner.member);
}

export function reportFromXhkCase(c: XhkCase, partner: PartnerConfig): StatusReport {
  const data: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(DATA_FIELDS) as [keyof typeof DATA_FIELDS, string][]) {
    const value = c[from];
    if (value !== undefined) data[to] = from === 'bzqx' ? fromXhkTime(value as string) : value;
  }
  return {
    partnerRef: c.ajid, state: xhkState(c.zt, c.sxbm, partner), at: fromXhkTime(c.gxsj),
    ...(c.bz !== undefined ? { note: c.bz } : {}),
    ...(Object.keys(data).length ? { data } : {}),
  };
}

export function eventsFromXhkCallback(body: XhkCallback, partner: PartnerConfig): CallbackEvent[] {
  return body.tzlb.map((n) => ({ ...reportFromXhkCase(n, partner), eventId: n.tzid, ...(n.wbbh !== undefined ? { caseRef: n.wbbh } : {}) }));
}
