import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openDatabase, pgliteImages } from '../../src/entry/node/database';
import { rowsOf } from '../../src/federation/replay-guard';

const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(opened.map((d) => d.close()));
});

async function open(pgliteDir: string, images: ReturnType<typeof pgliteImages>) {
  const database = await openDatabase({ databaseUrl: null, pgliteDir, images });
  opened.push(database);
  return database;
}

const count = async (db: Awaited<ReturnType<typeof open>>['db'], query: ReturnType<typeof sql>) =>
  Number(rowsOf<{ n: number }>(await db.execute(query))[0]!.n);

const migrationFiles = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length;
const applied = sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
const markers = sql`select count(*)::int as n from pg_tables where tablename = 'marker'`;

describe('new embedded databases of one process start from the first one migrated', () => {
  // One initdb for the file: the first database below; every later one loads its image.
  const images = pgliteImages();

  it('the second starts migrated and holds nothing the first wrote after its image was taken', async () => {
    const first = await open('memory://', images);
    expect(images.image?.size).toBeGreaterThan(1_000_000);
    await first.db.execute(sql`create table marker (x int)`);
    const second = await open('memory://', images);
    expect(await count(second.db, applied)).toBe(migrationFiles);
    expect(await count(second.db, markers)).toBe(0);
    expect(await count(first.db, markers)).toBe(1);
  });

  it('a directory that already holds a database is opened as it is, not replaced by the image', async () => {
    if (!images.image) await open('memory://', images);
    const dir = join(mkdtempSync(join(tmpdir(), 'handshake-images-')), 'db');
    const fresh = await open(dir, images);
    expect(await count(fresh.db, applied)).toBe(migrationFiles);
    await fresh.db.execute(sql`create table marker (x int)`);
    await fresh.close();
    opened.splice(opened.indexOf(fresh), 1);
    const again = await open(dir, images);
    expect(await count(again.db, markers)).toBe(1);
  });
});
