import type { ItemMapping, PartnerConfig } from '../../src/services/partners/schema';
import { AdapterError, type CaseSubmission, type PartnerState } from '../types';

// The table-driven core of every mapping.ts: the partner file says which field goes where and which
// status means what; these functions only read those tables. Pure: no I/O, no clock.

export type StatusTable = Readonly<Record<string, PartnerState>> | undefined;
/** Alliance field -> (alliance value -> partner value), for partners that code enumerations. */
export type ValueMaps = Readonly<Record<string, Readonly<Record<string, string | number>>>>;

/** The partner's mapping of an alliance item, or AdapterError('unmapped') naming the item. */
export function itemMapping(partner: PartnerConfig, itemCode: string): ItemMapping {
  const mapping = Object.hasOwn(partner.items, itemCode) ? partner.items[itemCode] : undefined;
  if (!mapping) throw new AdapterError('unmapped', `item ${itemCode} is not mapped for ${partner.member}`);
  return mapping;
}

/** The item a partner's service code belongs to (for its statusMap), when the partner file maps one. */
export function itemForServiceCode(partner: PartnerConfig, serviceCode: string | undefined): ItemMapping | undefined {
  if (serviceCode === undefined) return undefined;
  return Object.values(partner.items).find((m) => m.serviceCode === serviceCode);
}

/** What a fieldMap may name: the submission's fields, plus `serviceCode` (the partner's code for the item). */
export function submissionView(input: CaseSubmission, mapping: ItemMapping): Record<string, unknown> {
  return { ...input, serviceCode: mapping.serviceCode };
}

/** `applicant.idNumber` -> the value at that path, or undefined. */
export function readPath(source: unknown, path: string): unknown {
  let at: unknown = source;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * Builds the partner's flat field set from the fieldMap (alliance field -> partner field). A field the
 * submission leaves out (an optional phone) is left out; a value without a code in `valueMaps` is unmapped.
 * @example mapFields({ applicant: { name: '张三' } }, { 'applicant.name': 'sqrxm' }) // { sqrxm: '张三' }
 */
export function mapFields(source: unknown, fieldMap: Readonly<Record<string, string>>, valueMaps: ValueMaps = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [allianceField, partnerField] of Object.entries(fieldMap)) {
    const value = readPath(source, allianceField);
    if (value === undefined) continue;
    out[partnerField] = Object.hasOwn(valueMaps, allianceField) ? codeFor(allianceField, value, valueMaps[allianceField]!) : value;
  }
  return out;
}

function codeFor(field: string, value: unknown, codes: Readonly<Record<string, string | number>>): string | number {
  const key = String(value);
  if (!Object.hasOwn(codes, key)) throw new AdapterError('unmapped', `${field} value "${key}" has no partner code`);
  return codes[key]!;
}

/**
 * Partner status -> alliance state: the first table that knows the code wins (item map, then the
 * partner-wide map, then any the adapter adds). An unknown code is AdapterError('unmapped') naming it.
 */
export function mapStatus(code: string | number, tables: readonly StatusTable[], member: string): PartnerState {
  const key = String(code);
  for (const table of tables) if (table && Object.hasOwn(table, key)) return table[key]!;
  throw new AdapterError('unmapped', `status ${key} of ${member} is not mapped to an alliance state`);
}

export { base64 } from '../../src/lib/encoding';
