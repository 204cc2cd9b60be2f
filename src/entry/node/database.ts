import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/postgres-js';
import { migrate as migratePg } from 'drizzle-orm/postgres-js/migrator';
import { drizzle as drizzleLite } from 'drizzle-orm/pglite';
import { migrate as migrateLite } from 'drizzle-orm/pglite/migrator';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import postgres from 'postgres';
import type { Database, Db } from '../../db/client';
import * as schema from '../../db/schema/index';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

/** An arbitrary constant: the advisory lock that keeps two instances from migrating at once. */
const MIGRATION_LOCK = 727_001;

export interface OpenOptions {
  /** postgres.js when set. */
  databaseUrl: string | null;
  /** PGlite files here otherwise; `memory://` for a throwaway database. */
  pgliteDir: string;
  migrate?: boolean;
  maxConnections?: number;
  /** Shared by the new PGlite databases one process opens, so that only the first runs initdb. */
  images?: PgliteImages;
}

/**
 * A new PGlite database costs seconds of CPU in initdb (2.5-4.5 s here), against about 1 s to start from a
 * tarball of a migrated one. The first new database opened with this keeps its migrated, still empty state as
 * an image in memory (40 MB, uncompressed); the next new ones load it. The dev alliance opens three.
 */
export interface PgliteImages {
  image: Blob | null;
}

export function pgliteImages(): PgliteImages {
  return { image: null };
}

/** One database interface, two drivers: PostgreSQL over postgres.js, or embedded PGlite. */
export async function openDatabase(opts: OpenOptions): Promise<Database & { driver: 'postgres' | 'pglite' }> {
  if (opts.databaseUrl) {
    const client = postgres(opts.databaseUrl, { max: opts.maxConnections ?? 10, onnotice: () => {}, connection: { application_name: 'cloud-handshake' } });
    const db = drizzlePg(client, { schema, casing: 'snake_case' }) as unknown as Db;
    if (opts.migrate !== false) {
      // A one-connection client holds the lock for the whole migration, so instances never migrate at once.
      const single = postgres(opts.databaseUrl, { max: 1, onnotice: () => {} });
      try {
        await single`select pg_advisory_lock(${MIGRATION_LOCK})`;
        await migratePg(drizzlePg(single, { casing: 'snake_case' }), { migrationsFolder: MIGRATIONS_DIR });
        await single`select pg_advisory_unlock(${MIGRATION_LOCK})`;
      } finally {
        await single.end({ timeout: 5 });
      }
    }
    return { driver: 'postgres', db, ping: async () => { await db.execute(sql`select 1`); }, close: () => client.end({ timeout: 5 }) };
  }
  const inMemory = opts.pgliteDir.startsWith('memory://');
  if (!inMemory) mkdirSync(opts.pgliteDir, { recursive: true });
  const images = opts.migrate !== false && (inMemory || !existsSync(join(opts.pgliteDir, 'PG_VERSION'))) ? opts.images : undefined;
  const image = images?.image ?? undefined;
  // pg_trgm serves the clerks' text search of cases (migration 0012), as it does on PostgreSQL.
  const client = await PGlite.create(opts.pgliteDir, { extensions: { pg_trgm }, ...(image ? { loadDataDir: image } : {}) });
  const lite = drizzleLite(client, { schema, casing: 'snake_case' });
  if (opts.migrate !== false) await migrateLite(lite, { migrationsFolder: MIGRATIONS_DIR });
  // Taken before anything else is written: the image holds the schema and no member's data.
  if (images && !images.image) images.image = await client.dumpDataDir('none');
  const db = lite as unknown as Db;
  return { driver: 'pglite', db, ping: async () => { await db.execute(sql`select 1`); }, close: () => client.close() };
}
