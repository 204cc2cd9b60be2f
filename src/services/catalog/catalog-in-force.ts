import { and, asc, desc, eq, lte } from 'drizzle-orm';
import { chinaDay } from '../calendar/china-day';
import type { Db } from '../../db/client';
import { catalogItems, catalogVersions } from '../../db/schema/index';
import type { CatalogItem } from './item-schema';
import type { CatalogReader } from './offered-items';

export interface CatalogVersion {
  id: number;
  label: string;
  effectiveFrom: string;
  importedAt: Date;
  sourceFile: string;
  itemCount: number;
  sourceSha256: string;
}

/**
 * The calendar day of an instant in China (UTC+8, no daylight saving): effective dates are announced as
 * Beijing dates, so a catalog effective 2025-07-01 is in force from 2025-06-30T16:00Z.
 */
export const chinaDate = (at: Date): string => chinaDay(at.getTime());

/**
 * The version in force at `at` (an instant, or a `YYYY-MM-DD` day): the greatest `effective_from` on or
 * before that day; of several with that date, the latest imported. Null before the first one.
 */
export async function catalogInForce(db: Db, at: Date | string): Promise<CatalogVersion | null> {
  const day = typeof at === 'string' ? at : chinaDate(at);
  const [row] = await db.select().from(catalogVersions)
    .where(lte(catalogVersions.effectiveFrom, day))
    .orderBy(desc(catalogVersions.effectiveFrom), desc(catalogVersions.importedAt), desc(catalogVersions.id))
    .limit(1);
  return row ?? null;
}

/** Every version, newest effective date first. */
export async function listVersions(db: Db): Promise<CatalogVersion[]> {
  return db.select().from(catalogVersions).orderBy(desc(catalogVersions.effectiveFrom), desc(catalogVersions.importedAt), desc(catalogVersions.id));
}

/** The items of a version, by code. */
export async function listItems(db: Db, versionId: number): Promise<CatalogItem[]> {
  const rows = await db.select({ data: catalogItems.data }).from(catalogItems).where(eq(catalogItems.versionId, versionId)).orderBy(asc(catalogItems.code));
  return rows.map((r) => r.data);
}

export async function getItem(db: Db, versionId: number, code: string): Promise<CatalogItem | null> {
  const [row] = await db.select({ data: catalogItems.data }).from(catalogItems)
    .where(and(eq(catalogItems.versionId, versionId), eq(catalogItems.code, code))).limit(1);
  return row?.data ?? null;
}

/**
 * The `CatalogReader` of the federation routes, from the database: one small query per call for the
 * version in force, the items read once per version (a version never changes once imported).
 */
export function dbCatalogReader(db: Db): CatalogReader {
  let cached: { id: number; items: ReadonlyMap<string, CatalogItem> } | null = null;
  return {
    async itemsInForce(at) {
      const version = await catalogInForce(db, at);
      if (!version) return new Map();
      if (cached?.id !== version.id) cached = { id: version.id, items: new Map((await listItems(db, version.id)).map((i) => [i.code, i])) };
      return cached.items;
    },
  };
}
