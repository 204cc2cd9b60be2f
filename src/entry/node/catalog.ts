import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../db/client';
import { loadDefaultCatalog } from '../../services/catalog/default-catalog';
import type { ImportedVersion } from '../../services/catalog/import-catalog';

/** The catalog that ships with the gateway (the alliance's list of 120 items). */
export const DEFAULT_CATALOG_FILE = fileURLToPath(new URL('../../../partners/catalog/items.json', import.meta.url));

/** Reads the default catalog file: its parsed JSON, a name to record and the SHA-256 of its bytes. */
export function readDefaultCatalog(path = DEFAULT_CATALOG_FILE): { file: unknown; source: string; sha256: string } {
  const source = relative(process.cwd(), path) || path;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${source}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let file: unknown;
  try {
    file = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  return { file, source: 'partners/catalog/items.json', sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * At startup: seeds the default catalog when the database has no catalog version yet; a no-op after.
 * @example const { seeded } = await seedDefaultCatalog(database.db);
 */
export async function seedDefaultCatalog(db: Db, path = DEFAULT_CATALOG_FILE): Promise<{ seeded: ImportedVersion | null }> {
  return loadDefaultCatalog({ db, ...readDefaultCatalog(path) });
}
