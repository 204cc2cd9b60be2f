import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapterFactory } from '../../../adapters/registry';
import type { CatalogReader } from '../../services/catalog/offered-items';
import type { PartnerConfig } from '../../services/partners/schema';
import { validatePartners, type PartnerFile } from '../../services/partners/validate';

/** partners/ at the root of the project: alliance data that ships with the gateway. */
export const PARTNERS_DIR = fileURLToPath(new URL('../../../partners', import.meta.url));

/** Reads every `*.json` directly in `dir` (the catalog lives in a subfolder); bad JSON names the file. */
export function readPartnerFiles(dir = PARTNERS_DIR): PartnerFile[] {
  const files = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => e.name).sort();
  return files.map((name) => {
    const path = join(dir, name);
    const shown = relative(process.cwd(), path) || path;
    try {
      return { file: shown, json: JSON.parse(readFileSync(path, 'utf8')) as unknown };
    } catch (e) {
      throw new Error(`${shown}: not valid JSON (${(e as Error).message})`);
    }
  });
}

/**
 * The partner files, checked against their adapters and the catalog in force at start: a gap (an
 * agreed item without a complete mapping, an unknown item or adapter) stops the start, naming each.
 */
export async function loadPartners(dir: string, catalog: CatalogReader, now: Date): Promise<PartnerConfig[]> {
  return validatePartners(readPartnerFiles(dir), await catalog.itemsInForce(now), adapterFactory);
}
