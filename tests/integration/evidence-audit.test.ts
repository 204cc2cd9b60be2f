import { inProcessFetch, startTestGateway } from '../support/gateway';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditExport } from '../../src/entry/cli/audit-export';
import { auditVerify } from '../../src/entry/cli/audit-verify';
import type { CliIo } from '../../src/entry/cli/command';
import { openDatabase } from '../../src/entry/node/database';
import { evidenceRecords } from '../../src/db/schema/index';
import { bodyDigest, defaultEngine } from '../../src/federation/engine';
import { signRequest, signResponse } from '../../src/federation/envelope/sign';
import { dbEvidenceLog } from '../../src/federation/evidence/log';
import { recordHash } from '../../src/federation/evidence/record';
import { rowsOf } from '../../src/federation/replay-guard';
import { generateSigningKey, loadSigner } from '../../src/federation/keys';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { silentLogger } from '../../src/lib/logger';
import type { Gateway } from '../../src/gateway';
import { createTestAlliance, writeAllianceFiles, type TestAlliance } from '../support/alliance';
import { createTestDatabase, openSameDatabase, type TestDatabase } from '../support/db';
import { craftToken } from '../support/http';

const now = () => Math.floor(Date.now() / 1000);
let alliance: TestAlliance;
let files: ReturnType<typeof writeAllianceFiles>;
let alphaDb: TestDatabase | null = null;
let betaDb: TestDatabase;
let dataDir: string;
let env: Record<string, string | undefined>;
let oldBetaJwk: Awaited<ReturnType<typeof generateSigningKey>>['privateJwk'];

/** Alpha's database, the one the CLI opens: PostgreSQL when DATABASE_URL is set, else PGlite files (one process at a time). */
const openAlphaDb = () => (alphaDb?.url ? openSameDatabase(alphaDb.url) : openDatabase({ databaseUrl: null, pgliteDir: join(dataDir, 'db') }));

async function withAlphaDb<T>(fn: (db: Awaited<ReturnType<typeof openAlphaDb>>['db']) => Promise<T>): Promise<T> {
  const database = await openAlphaDb();
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

function recorder(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s), env };
}

/** `handshake audit verify|export ...`: the commands runCli dispatches to, with a recorder for the process. */
async function cli(_group: 'audit', command: 'verify' | 'export', ...argv: string[]) {
  const io = recorder();
  const code = await (command === 'verify' ? auditVerify : auditExport)(argv, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

beforeAll(async () => {
  alliance = await createTestAlliance([{ id: 'alpha', endpoint: 'http://alpha.test' }, { id: 'beta', endpoint: 'http://beta.test' }]);
  let registry = await alliance.sign(1, now());
  files = writeAllianceFiles(alliance, registry);
  dataDir = join(files.dir, 'data');
  mkdirSync(dataDir);
  if (process.env.DATABASE_URL) alphaDb = await createTestDatabase();
  betaDb = await createTestDatabase();
  env = {
    HANDSHAKE_MEMBER_ID: 'alpha', HANDSHAKE_PUBLIC_URL: 'http://alpha.test', HANDSHAKE_SIGNING_KEY: files.keyFile('alpha'),
    HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: files.registry, HANDSHAKE_DATA_DIR: dataDir, DATABASE_URL: alphaDb?.url ?? undefined,
  };
  const alphaDatabase = alphaDb?.database ?? (await openAlphaDb());
  const routes: Record<string, Gateway> = {};
  const fetch = inProcessFetch(routes);
  const alpha = await startTestGateway({ alliance, memberId: 'alpha', database: alphaDatabase, clock: systemClock, registry: () => registry, fetch });
  const beta = await startTestGateway({ alliance, memberId: 'beta', database: betaDb.database, clock: systemClock, registry: () => registry, fetch });
  Object.assign(routes, { 'http://alpha.test': alpha, 'http://beta.test': beta });
  // Two exchanges of case cs_1 with another one between them: the case's records are not contiguous.
  for (const call of [{ from: alpha, to: 'beta', caseRef: 'cs_1' }, { from: beta, to: 'alpha' }, { from: alpha, to: 'beta', caseRef: 'cs_1' }]) {
    expect((await call.from.client.send({ to: call.to, method: 'POST', path: '/federation/v1/ping', body: { n: 1 }, caseRef: call.caseRef })).status).toBe(200);
  }
  // Beta rotates its key: snapshot 2 no longer lists the key its earlier answers were signed with.
  oldBetaJwk = alliance.members.get('beta')!.privateJwk;
  alliance.members.get('beta')!.privateJwk = (await generateSigningKey()).privateJwk;
  registry = await alliance.sign(2, now());
  expect((await alpha.registry.refresh()).outcome).toBe('taken');
  await recordAnsweredRequest(alphaDatabase.db);
  if (!alphaDb) await alphaDatabase.close();
});

afterAll(async () => {
  await alphaDb?.drop();
  await betaDb?.drop();
});

/**
 * A request beta signed with its old key, kept before its handler knew the case (no caseRef), and alpha's
 * answer naming case cs_pair: written at registry seq 2, where the old key is found only in snapshot 1.
 */
async function recordAnsweredRequest(db: Parameters<typeof dbEvidenceLog>[0]['db']) {
  const log = dbEvidenceLog({ db, engine: defaultEngine, clock: systemClock, registrySeq: () => 2, logger: silentLogger });
  const body = Buffer.from('{"caseId":"A-1"}');
  const { token, claims } = await signRequest(await loadSigner(oldBetaJwk), { iss: 'beta', aud: 'alpha', method: 'POST', url: 'http://alpha.test/federation/v1/cases', body }, systemClock, randomIds);
  const exchange = { peer: 'beta', method: 'POST', path: '/federation/v1/cases' };
  await log.record({ kind: 'request_received', ...exchange, token, body });
  const answer = Buffer.from('{"caseRef":"cs_pair"}');
  const receipt = await signResponse(await loadSigner(alliance.members.get('alpha')!.privateJwk), { iss: 'alpha', aud: 'beta', requestJti: claims.jti, status: 202, body: answer }, systemClock, randomIds);
  await log.record({ kind: 'response_sent', ...exchange, token: receipt, body: answer, caseRef: 'cs_pair' });
}

interface Bundle { records: { seq: number; kind: string; caseRef: string | null; peer: string; body: string | null }[]; snapshots: string[]; anchorJwks: unknown }
const readBundle = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Bundle;

describe('handshake audit verify and export, on the gateway\'s database', () => {
  it('verifies the whole chain: hashes, links, bodies and every signature, across a key rotation', async () => {
    const count = await withAlphaDb(async (db) => (await db.select().from(evidenceRecords)).length);
    expect(count).toBe(8);
    const r = await cli('audit', 'verify');
    expect(r, r.err).toMatchObject({ code: 0 });
    expect(r.out.split('\n')[0]).toBe('8 records verified');
    expect(r.out).toContain('snapshots  2 checked');
  });

  it('exports a case as a bundle that verifies offline, with the bundle\'s anchor keys or pinned ones, and says which', async () => {
    const out = join(files.dir, 'cs_1.json');
    const e = await cli('audit', 'export', '--case', 'cs_1', '--out', out);
    expect(e, e.err).toMatchObject({ code: 0 });
    const bundle = readBundle(out);
    expect(bundle.records.map((r) => [r.seq, r.kind])).toEqual([[1, 'request_sent'], [2, 'response_received'], [5, 'request_sent'], [6, 'response_received']]);
    expect(bundle.snapshots).toHaveLength(1);
    const own = await cli('audit', 'verify', '--bundle', out);
    expect(own, own.err).toMatchObject({ code: 0 });
    expect(own.out).toContain('4 records verified');
    expect(own.out).toContain('the bundle\'s own anchor keys');
    const pinned = await cli('audit', 'verify', '--bundle', out, '--anchor-jwks', files.anchorJwks);
    expect(pinned, pinned.err).toMatchObject({ code: 0 });
    expect(pinned.out).toContain(`the pinned anchor keys of ${files.anchorJwks}`);
    expect((await cli('audit', 'export', '--case', 'cs_1', '--out', out)).code).toBe(1); // exists, no --force
  });

  it('pairs a receipt with the request it answers, and finds a rotated key in the snapshot that listed it', async () => {
    const out = join(files.dir, 'cs_pair.json');
    expect((await cli('audit', 'export', '--case', 'cs_pair', '--out', out)).code).toBe(0);
    const bundle = readBundle(out);
    expect(bundle.records.map((r) => [r.kind, r.caseRef])).toEqual([['request_received', null], ['response_sent', 'cs_pair']]);
    expect(bundle.snapshots).toHaveLength(2);
    const r = await cli('audit', 'verify', '--bundle', out, '--anchor-jwks', files.anchorJwks);
    expect(r, r.err).toMatchObject({ code: 0 });
  });

  it('refuses a tampered bundle, naming the record, and one whose snapshots the pinned anchor did not sign', async () => {
    const out = join(files.dir, 'cs_1.json');
    const tampered = join(files.dir, 'tampered.json');
    const peer = readBundle(out);
    peer.records[2]!.peer = 'mallory';
    writeFileSync(tampered, JSON.stringify(peer));
    const r = await cli('audit', 'verify', '--bundle', tampered);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/record 5 is bad: hash does not match/);
    const body = readBundle(out);
    body.records[1]!.body = Buffer.from('{"member":"beta","at":"forged"}').toString('base64');
    writeFileSync(tampered, JSON.stringify(body));
    expect((await cli('audit', 'verify', '--bundle', tampered)).err).toMatch(/record 2 is bad: body does not match bodyDigest/);
    const foreign = join(files.dir, 'foreign.jwks.json');
    writeFileSync(foreign, JSON.stringify({ keys: [(await generateSigningKey()).publicJwk] }));
    const f = await cli('audit', 'verify', '--bundle', out, '--anchor-jwks', foreign);
    expect(f.code).toBe(1);
    expect(f.err).toMatch(/registry snapshot 1 does not verify with the pinned anchor keys/);
  });

  it('walks the chains gateway processes kept on their own too, and names each head', async () => {
    const kept = await withAlphaDb(async (db) => {
      const log = dbEvidenceLog({ db, engine: defaultEngine, clock: systemClock, registrySeq: () => 2, logger: silentLogger, chain: 'ch_process' });
      const signer = await loadSigner(alliance.members.get('alpha')!.privateJwk);
      const out = [];
      for (const n of [1, 2]) {
        const body = Buffer.from(`{"n":${n}}`);
        const { token } = await signRequest(signer, { iss: 'alpha', aud: 'beta', method: 'POST', url: 'http://beta.test/federation/v1/ping', body }, systemClock, randomIds);
        out.push(await log.record({ kind: 'request_sent', peer: 'beta', method: 'POST', path: '/federation/v1/ping', token, body }));
      }
      return out;
    });
    const r = await cli('audit', 'verify');
    expect(r, r.err).toMatchObject({ code: 0 });
    expect(r.out.split('\n')[0]).toBe('10 records verified');
    expect(r.out).toMatch(/head {7}the shared chain: seq \d+, hash [0-9a-f]{64} \(8 records\)/);
    expect(r.out).toContain(`head       chain ch_process: seq ${kept[1]!.seq}, hash ${kept[1]!.hash} (2 records)`);
  });

  it('names a record whose chain is intact but whose token is forged', async () => {
    const seq = await withAlphaDb(async (db) => {
      const [head] = await db.select().from(evidenceRecords).where(eq(evidenceRecords.chain, '')).orderBy(desc(evidenceRecords.seq)).limit(1);
      const body = Buffer.from('{"forged":true}');
      const iat = now();
      // Beta's kid, signed with another key: the chain is fine, the signature is not.
      const token = await craftToken((await generateSigningKey()).privateJwk, { alg: 'Ed25519', typ: 'handshake-req+jwt', kid: alliance.members.get('beta')!.kid },
        { iss: 'beta', aud: 'alpha', iat, exp: iat + 60, jti: randomIds.jti(), htm: 'POST', htu: 'http://alpha.test/federation/v1/ping', cdg: await bodyDigest(defaultEngine, body) });
      const [next] = rowsOf<{ seq: string }>(await db.execute(sql`select nextval(pg_get_serial_sequence('evidence_records', 'seq')) as seq`));
      const row = {
        seq: Number(next!.seq), at: new Date(), kind: 'request_received', caseRef: null, peer: 'beta', method: 'POST', path: '/federation/v1/ping',
        token, bodyDigest: await bodyDigest(defaultEngine, body), body: body.toString('base64'), registrySeq: '2', prevHash: head!.hash,
      };
      await db.insert(evidenceRecords).values({ ...row, hash: await recordHash(row) });
      return row.seq;
    });
    const r = await cli('audit', 'verify');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`record ${seq} is bad: token signature does not verify`);
    expect(r.err).toContain('8 records before it verified');
  });

  it('names the first changed record after the trigger was bypassed by a superuser', async () => {
    await withAlphaDb(async (db) => {
      await db.execute(sql`alter table evidence_records disable trigger user`);
      await db.execute(sql`update evidence_records set peer = 'mallory' where seq = 3`);
      await db.execute(sql`alter table evidence_records enable trigger user`);
      expect((await db.select().from(evidenceRecords).orderBy(asc(evidenceRecords.seq)))[2]!.peer).toBe('mallory');
    });
    const r = await cli('audit', 'verify');
    expect(r.code).toBe(1);
    expect(r.err).toContain('record 3 is bad: hash does not match');
    expect(r.err).toContain('2 records before it verified');
  });
});
