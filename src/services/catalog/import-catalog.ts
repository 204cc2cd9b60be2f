import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { catalogItems, catalogVersions } from '../../db/schema/index';
import { catalogItemSchema, type CatalogItem } from './item-schema';

/** A problem with one item of a catalog: its position in the input, its code when known, the field. */
export interface ItemProblem {
  index: number;
  code?: string;
  path: string;
  message: string;
}

/** The catalog was refused as a whole; nothing was written. */
export class CatalogRejected extends Error {
  override name = 'CatalogRejected';
  constructor(readonly problems: ItemProblem[]) {
    super(`catalog refused, ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.slice(0, 3).map((p) => `items[${p.index}]${p.path ? `.${p.path}` : ''}: ${p.message}`).join('; ')}${problems.length > 3 ? '; ...' : ''}`);
  }
}

export interface CatalogVersionInput {
  /** The version label, e.g. `2025-07`. */
  version: string;
  /** `YYYY-MM-DD`: the first day (China time) on which this catalog is in force. */
  effectiveFrom: string;
  /** The source file's name, for the record. */
  source: string;
  /** Hex SHA-256 of the source file's bytes. */
  sha256: string;
  /** When the import happened; default now. */
  importedAt?: Date;
}

export interface ImportedVersion {
  id: number;
  label: string;
  effectiveFrom: string;
  itemCount: number;
}

const BATCH = 1000;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** `YYYY-MM-DD` naming a real calendar day. */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Validates every item (schema, unique codes) and reports all problems at once. */
export function validateItems(items: readonly unknown[]): { items: CatalogItem[]; problems: ItemProblem[] } {
  const out: CatalogItem[] = [];
  const problems: ItemProblem[] = [];
  const seen = new Map<string, number>();
  items.forEach((raw, index) => {
    const parsed = catalogItemSchema.safeParse(raw);
    const code = typeof (raw as { code?: unknown } | null)?.code === 'string' ? (raw as { code: string }).code : undefined;
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ index, code, path: issue.path.join('.'), message: issue.message });
      return;
    }
    const first = seen.get(parsed.data.code);
    if (first !== undefined) problems.push({ index, code, path: 'code', message: `${parsed.data.code} is already items[${first}]` });
    else seen.set(parsed.data.code, index);
    out.push(parsed.data);
  });
  return { items: out, problems };
}

function checkVersion(v: CatalogVersionInput): void {
  const bad: string[] = [];
  if (!v.version.trim() || v.version.length > 100) bad.push('version: 1 to 100 characters');
  if (!isCalendarDate(v.effectiveFrom)) bad.push(`effectiveFrom: ${JSON.stringify(v.effectiveFrom)} is not a YYYY-MM-DD date`);
  if (!v.source.trim()) bad.push('source: required');
  if (!SHA256_HEX.test(v.sha256)) bad.push('sha256: 64 lowercase hex digits');
  if (bad.length) throw new TypeError(`importCatalog: ${bad.join('; ')}`);
}

/** Inserts a version and its items with `tx`; the caller owns the transaction. */
export async function insertVersion(tx: Db, items: readonly CatalogItem[], v: CatalogVersionInput, onProgress?: (done: number) => void): Promise<ImportedVersion> {
  const [row] = await tx.insert(catalogVersions).values({
    label: v.version.trim(), effectiveFrom: v.effectiveFrom, importedAt: v.importedAt ?? new Date(),
    sourceFile: v.source, itemCount: items.length, sourceSha256: v.sha256,
  }).returning({ id: catalogVersions.id });
  const versionId = row!.id;
  for (let i = 0; i < items.length; i += BATCH) {
    const chunk = items.slice(i, i + BATCH);
    await tx.insert(catalogItems).values(chunk.map((item) => ({
      versionId, code: item.code, name: item.name, department: item.department, itemType: item.itemType, data: item,
    })));
    onProgress?.(i + chunk.length);
  }
  return { id: versionId, label: v.version.trim(), effectiveFrom: v.effectiveFrom, itemCount: items.length };
}

/**
 * Imports one catalog version: every item is validated first (all problems reported, `CatalogRejected`),
 * then the version and its items are written in one transaction, so a failure leaves nothing behind.
 *
 * @example
 * await importCatalog({ db, items, version: '2025-07', effectiveFrom: '2025-07-01', source: 'items.xlsx', sha256 });
 */
export async function importCatalog(input: CatalogVersionInput & { db: Db; items: readonly unknown[]; onProgress?: (done: number) => void }): Promise<ImportedVersion> {
  checkVersion(input);
  const { items, problems } = validateItems(input.items);
  if (problems.length) throw new CatalogRejected(problems);
  if (!items.length) throw new CatalogRejected([{ index: 0, path: '', message: 'a catalog has at least one item' }]);
  return input.db.transaction(async (tx) => insertVersion(tx as unknown as Db, items, input, input.onProgress));
}

/** An arbitrary constant: serializes the first-start seeding of several instances on one database. */
const SEED_LOCK = 727_003;

/** Takes the seeding lock for the rest of the transaction (PostgreSQL and PGlite alike). */
export async function lockForSeeding(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
}
