import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { clerks } from '../../src/db/schema/index';
import type { Db } from '../../src/db/client';
import { runCli } from '../../src/entry/cli';
import type { CliIo } from '../../src/entry/cli/command';
import { openDatabase } from '../../src/entry/node/database';
import { resolveMember } from '../../src/entry/node/resolve';
import { authenticateClerk } from '../../src/services/clerks/authenticate-clerk';
import { createTestDatabase, type TestDatabase } from '../support/db';

interface Recorder extends CliIo { stdout: string[]; stderr: string[] }
function recorder(env: Record<string, string | undefined>): Recorder {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s), env };
}

let dir: string;
let cliDb: TestDatabase;
/** The dev member gaoxin, whose shipped partner file lists one window, kuayu-1. */
let env: Record<string, string | undefined>;

/** The clerks table as stored, read after the CLI has closed the database (PGlite serves one client). */
async function table(): Promise<(typeof clerks.$inferSelect)[]> {
  return withDb((db) => db.select().from(clerks));
}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (cliDb.url) return fn(cliDb.database.db);
  const { pgliteDir } = await resolveMember(parseConfig(env), Math.floor(Date.now() / 1000));
  const database = await openDatabase({ databaseUrl: null, pgliteDir, migrate: false });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

async function cli(...argv: string[]) {
  const io = recorder(env);
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr, all: [...io.stdout, ...io.stderr].join('\n') };
}

const occurrences = (text: string, s: string) => text.split(s).length - 1;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'handshake-clerk-'));
  cliDb = await createTestDatabase();
  env = { HANDSHAKE_DATA_DIR: join(dir, 'data'), DATABASE_URL: cliDb.url ?? undefined };
});
afterAll(async () => {
  await cliDb?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('handshake clerk add, list, revoke', () => {
  let token: string;
  let id: string;

  it('adds a clerk, prints its token once on stdout, and stores only its SHA-256', async () => {
    const run = await cli('clerk', 'add', '--window', 'kuayu-1', '--role', 'intake', '--name', '王芳');
    expect(run.code).toBe(0);
    expect(run.stdout).toHaveLength(1);
    token = run.stdout[0]!;
    expect(token).toMatch(/^hsk_[A-Za-z0-9_-]{43}$/);
    expect(occurrences(run.all, token)).toBe(1);
    expect(run.stderr[0]).toMatch(/^added clerk (ck_[A-Za-z0-9_-]+): 王芳, intake at kuayu-1 \(gaoxin\)$/);
    id = /(ck_[A-Za-z0-9_-]+)/.exec(run.stderr[0]!)![1]!;

    const rows = await table();
    expect(rows).toEqual([{
      id, name: '王芳', window: 'kuayu-1', role: 'intake', tokenHash: createHash('sha256').update(token).digest('hex'),
      createdAt: expect.any(Date), revokedAt: null,
    }]);
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
  });

  it('issued a token that authenticates as that clerk', async () => {
    const result = await withDb((db) => authenticateClerk({ ctx: { db }, input: { token } }));
    expect(result).toEqual({ ok: true, clerk: expect.objectContaining({ id, name: '王芳', role: 'intake', window: 'kuayu-1' }) });
  });

  it('lists clerks without their tokens or hashes, as a table and as JSON', async () => {
    const [hash] = (await table()).map((r) => r.tokenHash);
    const listed = await cli('clerk', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout[0]).toMatch(/^id\s+name\s+role\s+window\s+created\s+revoked$/);
    expect(listed.stdout[1]).toMatch(new RegExp(`^${id}\\s+王芳\\s+intake\\s+kuayu-1\\s+\\d{4}-\\d\\d-\\d\\dT\\S+\\s+-$`));
    const json = await cli('clerk', 'list', '--json');
    expect(JSON.parse(json.stdout.join('\n'))).toEqual({ member: 'gaoxin', clerks: [expect.objectContaining({ id, name: '王芳', revokedAt: null })] });
    for (const run of [listed, json]) {
      expect(run.all).not.toContain(token.slice(4));
      expect(run.all).not.toContain(hash);
    }
  });

  it("refuses a window that is not one of the member's, naming the ones it has, and adds nothing", async () => {
    const run = await cli('clerk', 'add', '--window', 'kuayu-9', '--role', 'intake', '--name', '李强');
    expect(run.code).toBe(2);
    expect(run.stdout).toEqual([]);
    expect(run.stderr[0]).toBe("handshake clerk add: --window: not one of this member's windows: kuayu-1 (跨域通办专窗 1号)");
    expect(await table()).toHaveLength(1);
  });

  it.each([
    [['--window', 'kuayu-1', '--role', 'boss', '--name', '李强'], /--role: /],
    [['--window', 'kuayu-1', '--role', 'intake', '--name', '  '], /--name: a name is required/],
    [['--window', 'kuayu-1', '--role', 'intake'], /--name NAME is required/],
    [['--role', 'intake', '--name', '李强'], /--window ID is required/],
  ])('exit 2 for %j, before the database is opened', async (argv, reason) => {
    const run = await cli('clerk', 'add', ...argv);
    expect(run.code).toBe(2);
    expect(run.stderr.join('\n')).toMatch(reason);
  });

  it('added nothing for any of those refusals', async () => {
    expect(await table()).toHaveLength(1);
  });

  it('takes any well-formed window, with a warning, when the member has no partner file', async () => {
    const empty = mkdtempSync(join(dir, 'partners-'));
    const io = recorder({ ...env, HANDSHAKE_PARTNERS_DIR: empty });
    expect(await runCli(['clerk', 'add', '--window', 'window-7', '--role', 'supervisor', '--name', '赵六'], io)).toBe(0);
    expect(io.stderr[0]).toBe(`warning: gaoxin has no partner file in ${empty}; window window-7 is not checked against its windows`);
    expect(io.stdout[0]).toMatch(/^hsk_/);
    expect((await table()).map((r) => r.window).sort()).toEqual(['kuayu-1', 'window-7']);
  });

  it('revokes a clerk: the token stops working, the clerk stays listed with the time', async () => {
    const run = await cli('clerk', 'revoke', id);
    expect(run.code).toBe(0);
    expect(run.stdout[0]).toMatch(new RegExp(`^revoked: clerk ${id} \\(王芳, intake at kuayu-1\\) since \\d{4}-`));
    const row = (await table()).find((r) => r.id === id)!;
    expect(row.revokedAt).toBeInstanceOf(Date);
    expect(await withDb((db) => authenticateClerk({ ctx: { db }, input: { token } }))).toEqual({ ok: false, reason: 'revoked' });

    const again = await cli('clerk', 'revoke', id);
    expect(again.code).toBe(0);
    expect(again.stdout[0]).toBe(`already revoked: clerk ${id} (王芳, intake at kuayu-1) since ${row.revokedAt!.toISOString()}`);

    const listed = await cli('clerk', 'list');
    expect(listed.stdout.find((l) => l.startsWith(id))).toMatch(new RegExp(`${row.revokedAt!.toISOString().replace(/\./g, '\\.')}$`));
    const active = await cli('clerk', 'list', '--active', '--json');
    expect((JSON.parse(active.stdout.join('\n')) as { clerks: { id: string }[] }).clerks.map((c) => c.id)).not.toContain(id);
  });

  it('exits 1 for a clerk that does not exist, 2 without an id', async () => {
    const missing = await cli('clerk', 'revoke', 'ck_nobody');
    expect(missing.code).toBe(1);
    expect(missing.stderr[0]).toBe('handshake clerk revoke: gaoxin has no clerk ck_nobody');
    expect((await cli('clerk', 'revoke')).code).toBe(2);
  });

  it('shows the clerk commands in the help', async () => {
    const run = await cli('clerk');
    expect(run.code).toBe(2);
    expect(run.stderr[0]).toMatch(/^Usage: handshake clerk <add\|list\|revoke> \[options\]/);
  });
});
