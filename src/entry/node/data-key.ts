import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDataKey } from '../../lib/sealed';

/**
 * The key that seals personal data: HANDSHAKE_DATA_KEY when set; otherwise one generated once and kept
 * (0600) in the member's data directory. Instances sharing a database must share the key, so with
 * DATABASE_URL the caller warns that it should be configured.
 */
export function resolveDataKey(configured: string | null, memberDataDir: string): { key: Uint8Array; source: string; created: boolean } {
  if (configured) {
    try {
      return { key: parseDataKey(configured), source: 'HANDSHAKE_DATA_KEY', created: false };
    } catch (e) {
      throw new Error(`HANDSHAKE_DATA_KEY: ${(e as Error).message}`);
    }
  }
  const file = join(memberDataDir, 'data.key');
  if (existsSync(file)) return { key: parseDataKey(readFileSync(file, 'utf8')), source: file, created: false };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return { key: parseDataKey(readFileSync(file, 'utf8')), source: file, created: true };
}

/** The data key if one is configured or was generated before; never creates one (the CLI reads, the gateway creates). */
export function readDataKey(configured: string | null, memberDataDir: string): Uint8Array | null {
  if (configured) return parseDataKey(configured);
  const file = join(memberDataDir, 'data.key');
  return existsSync(file) ? parseDataKey(readFileSync(file, 'utf8')) : null;
}
