import type { AdapterFactory } from '../../../adapters/types';
import type { CatalogItem } from '../catalog/item-schema';
import { partnerSchema, type PartnerConfig } from './schema';

export interface PartnerFile {
  /** As the operator knows it, e.g. `partners/xihaike.json`: every problem names it. */
  file: string;
  json: unknown;
}

export interface PartnerProblem {
  file: string;
  field: string;
  reason: string;
}

export class PartnerDataError extends Error {
  constructor(readonly problems: PartnerProblem[]) {
    super(`partner data is invalid:\n${problems.map((p) => `  ${p.file}: ${p.field}: ${p.reason}`).join('\n')}`);
    this.name = 'PartnerDataError';
  }
}

const fieldPath = (path: readonly PropertyKey[]) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(file)';

/**
 * Validates every partner file against the schema, its adapter and the catalog in force, and checks
 * coverage: each agreed item exists in the catalog with the agreed modes, and each one the partner handles
 * has a complete mapping.
 * Throws PartnerDataError listing every problem, so one start shows them all.
 */
export function validatePartners(
  files: PartnerFile[],
  catalog: ReadonlyMap<string, CatalogItem>,
  adapters: (name: string) => AdapterFactory | undefined,
): PartnerConfig[] {
  const problems: PartnerProblem[] = [];
  const partners: PartnerConfig[] = [];
  const members = new Map<string, string>();
  for (const { file, json } of files) {
    const parsed = partnerSchema.safeParse(json);
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push({ file, field: fieldPath(i.path), reason: i.message });
      continue;
    }
    const p = parsed.data;
    const add = (field: string, reason: string) => problems.push({ file, field, reason });
    const other = members.get(p.member);
    if (other) add('member', `${p.member} is already described by ${other}`);
    members.set(p.member, file);
    const factory = adapters(p.adapter);
    if (!factory) add('adapter', `no adapter named ${p.adapter}`);
    else for (const problem of factory.validateOptions(p.options)) {
      const [field, ...reason] = problem.split(': ');
      add(`options.${field}`, reason.join(': ') || 'invalid');
    }
    checkCoverage(p, catalog, factory, add);
    partners.push(p);
  }
  if (problems.length) throw new PartnerDataError(problems);
  return partners;
}

function checkCoverage(p: PartnerConfig, catalog: ReadonlyMap<string, CatalogItem>, factory: AdapterFactory | undefined, add: (field: string, reason: string) => void) {
  const agreed = new Set<string>();
  for (const [i, a] of p.agreements.entries()) {
    const at = `agreements[${i}]`;
    if (agreed.has(a.item)) add(`${at}.item`, `${a.item} has two agreements`);
    agreed.add(a.item);
    const item = catalog.get(a.item);
    if (!item) { add(`${at}.item`, `${a.item} is not in the catalog in force`); continue; }
    const unsupported = a.modes.filter((m) => !item.modes.includes(m));
    if (unsupported.length) add(`${at}.modes`, `${a.item} (${item.name}) does not support ${unsupported.join(', ')}`);
    if (a.direction === 'intake') continue; // taken at its windows, decided elsewhere: no back-office mapping
    const mapping = p.items[a.item];
    if (!mapping) { add(`items.${a.item}`, `agreed item ${a.item} (${item.name}) has no mapping for ${p.member}`); continue; }
    const missing = (factory?.requiredFields(mapping) ?? []).filter((f) => !mapping.fieldMap[f]);
    if (missing.length) add(`items.${a.item}.fieldMap`, `does not map ${missing.join(', ')}`);
  }
  for (const code of Object.keys(p.items)) {
    if (!catalog.has(code)) add(`items.${code}`, `${code} is not in the catalog in force`);
  }
}
