import postgres from 'postgres';
import { openDatabase, pgliteImages } from '../../src/entry/node/database';

/** A test file's in-memory databases after the first start from its migrated image. */
const images = pgliteImages();

export interface TestDatabase {
  database: Awaited<ReturnType<typeof openDatabase>>;
  /** The URL of the fresh PostgreSQL database, or null on PGlite. */
  url: string | null;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a new PostgreSQL database when DATABASE_URL is set
 * (so files never see each other's rows), an in-memory PGlite otherwise.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = process.env.DATABASE_URL;
  if (!admin) {
    const database = await openDatabase({ databaseUrl: null, pgliteDir: 'memory://', images });
    return { database, url: null, drop: () => database.close() };
  }
  const name = `hs_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), pgliteDir: '', maxConnections: 5 });
  return {
    database, url: url.toString(),
    async drop() {
      await database.close();
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end({ timeout: 1 });
    },
  };
}

/** A second pool on the same PostgreSQL database: another "instance" of one member. */
export async function openSameDatabase(url: string) {
  return openDatabase({ databaseUrl: url, pgliteDir: '', migrate: false, maxConnections: 5 });
}

/** An empty PostgreSQL database for a gateway process to migrate itself (e2e); returns its URL. */
export async function createProcessDatabase(admin: string, prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${name}`);
  await sql.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** Drops the databases of createProcessDatabase, even with connections still open. */
export async function dropDatabases(admin: string, names: readonly string[]): Promise<void> {
  if (!names.length) return;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  for (const name of names) await sql.unsafe(`drop database if exists ${name} with (force)`);
  await sql.end();
}
