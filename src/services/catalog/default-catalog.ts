import { count } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { catalogVersions } from '../../db/schema/index';
import { CatalogRejected, insertVersion, isCalendarDate, lockForSeeding, validateItems, type ImportedVersion } from './import-catalog';

/** `partners/catalog/items.json`: the catalog a gateway starts with until the alliance office sends one. */
export const defaultCatalogFileSchema = z.object({
  version: z.string().min(1).max(100),
  effectiveFrom: z.string().refine(isCalendarDate, 'must be a YYYY-MM-DD date'),
  items: z.array(z.unknown()).min(1),
});

export type DefaultCatalogFile = z.infer<typeof defaultCatalogFileSchema>;

/**
 * Seeds the default catalog when the database holds no catalog version at all (first start); otherwise
 * does nothing. Several instances starting together seed it once: the check and the insert share one
 * transaction under an advisory lock. A bad file is refused whole (`CatalogRejected`).
 */
export async function loadDefaultCatalog({ db, file, source, sha256, importedAt }: {
  db: Db;
  /** The parsed JSON of the file. */
  file: unknown;
  source: string;
  sha256: string;
  importedAt?: Date;
}): Promise<{ seeded: ImportedVersion | null }> {
  const shape = defaultCatalogFileSchema.safeParse(file);
  if (!shape.success) {
    throw new CatalogRejected(shape.error.issues.map((i) => ({ index: -1, path: i.path.join('.'), message: i.message })));
  }
  const { items, problems } = validateItems(shape.data.items);
  if (problems.length) throw new CatalogRejected(problems);
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await lockForSeeding(tx);
    const [row] = await tx.select({ n: count() }).from(catalogVersions);
    if (row && row.n > 0) return { seeded: null };
    const seeded = await insertVersion(tx, items, { version: shape.data.version, effectiveFrom: shape.data.effectiveFrom, source, sha256, importedAt });
    return { seeded };
  });
}
