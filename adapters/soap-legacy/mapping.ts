import type { PartnerConfig, ItemMapping } from '../../src/services/partners/schema';
import { AdapterError, type AdapterErrorKind, type CaseSubmission, type PartnerState } from '../types';
import { XML_NAME, type FaultKind } from './schema';

/** The alliance fields the province's SubmitCase refuses to go without (申请人姓名、证件类型、证件号码). */
export const REQUIRED_FIELDS = ['applicant.name', 'applicant.idType', 'applicant.idNumber'] as const;

// XML 1.0 cannot carry these at all, not even as character references.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

/**
 * Escapes a value for XML text or an attribute. `\r` becomes `&#13;` because parsers turn a literal one
 * into `\n`. A value XML 1.0 cannot carry is refused rather than altered: this is a person's record.
 */
export function escapeXml(value: string): string {
  const bad = NOT_XML.exec(value);
  if (bad) throw new AdapterError('rejected', `a value contains U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, which XML 1.0 cannot carry`);
  return value.replace(/[&<>"'\r]/g, (c) => ESCAPES[c] ?? c);
}

/** Standard base64 over bytes with the Web API `btoa` (no Buffer), in chunks to spare the call stack. */
export { base64 as toBase64 } from '../../src/lib/encoding';

export function itemMapping(partner: PartnerConfig, itemCode: string): ItemMapping {
  const item = Object.hasOwn(partner.items, itemCode) ? partner.items[itemCode] : undefined;
  if (!item) throw new AdapterError('unmapped', `item ${itemCode} is not mapped for ${partner.member}`);
  return item;
}

/** The item a QueryCase answer belongs to, by the partner's service code; undefined for a code we never mapped. */
export function itemForService(partner: PartnerConfig, serviceCode: string): ItemMapping | undefined {
  return Object.values(partner.items).find((i) => i.serviceCode === serviceCode);
}

export interface SubmitField { name: string; value: string }

/**
 * The SubmitCase `applyData` elements: each fieldMap entry (alliance path -> partner element name) whose
 * value is present, in the fieldMap's order. Values are sent as they are: the partner file maps names only.
 */
export function submitFields(input: CaseSubmission, item: ItemMapping): SubmitField[] {
  const fields: SubmitField[] = [];
  for (const [path, name] of Object.entries(item.fieldMap)) {
    if (!XML_NAME.test(name)) throw new AdapterError('unmapped', `fieldMap ${path} -> "${name}" (${item.serviceCode}) is not an XML element name`);
    const value = valueAt(input, path);
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') throw new AdapterError('unmapped', `fieldMap ${path} (${item.serviceCode}) is not a single value`);
    fields.push({ name, value: String(value) });
  }
  return fields;
}

function valueAt(root: unknown, path: string): unknown {
  let at: unknown = root;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null || at instanceof Uint8Array || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** The item's statusMap over the partner-wide one; a code neither maps is `unmapped`, naming it. */
export function mapStatus(partner: PartnerConfig, item: ItemMapping | undefined, code: string): PartnerState {
  const own = item?.statusMap && Object.hasOwn(item.statusMap, code) ? item.statusMap[code] : undefined;
  const state = own ?? (Object.hasOwn(partner.statusMap, code) ? partner.statusMap[code] : undefined);
  if (!state) throw new AdapterError('unmapped', `status ${code}${item ? ` (${item.serviceCode})` : ''} is not in the statusMap of ${partner.member}`);
  return state;
}

const LOCAL_TIME = /^(\d{4})-?(\d{2})-?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})?$/;

/** `2024-05-01 10:00:00`, `20240501100000` or ISO 8601; without an offset the province means Beijing time. */
export function parsePartnerTime(s: string): string | undefined {
  const m = LOCAL_TIME.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac = '', zone = '+08:00'] = m;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac}${offset}`);
  // V8 reads 02-30 as 03-01: refuse a day the month does not have.
  if (Number.isNaN(date.getTime()) || new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDate() !== Number(d)) return undefined;
  return date.toISOString();
}

/**
 * A SOAP fault's error kind: Server faults are the partner's trouble (retry); Client faults by the
 * `errorCode` table, and a Client fault the table does not know is a refusal of this request.
 */
export function faultKind(faultcode: string, errorCode: string | undefined, table: Readonly<Record<string, FaultKind>>): AdapterErrorKind {
  const local = faultcode.slice(faultcode.lastIndexOf(':') + 1).split('.')[0];
  if (local === 'Server' || local === 'Receiver') return 'unavailable';
  if (local === 'Client' || local === 'Sender') return (errorCode !== undefined && Object.hasOwn(table, errorCode) ? table[errorCode] : undefined) ?? 'rejected';
  // VersionMismatch, MustUnderstand: the partner cannot take our envelope as it is.
  return 'rejected';
}
