import { asc, sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceRecords } from '../../src/db/schema/index';
import type { Database } from '../../src/db/client';
import { defaultEngine } from '../../src/federation/engine';
import { createFederationClient, FederationClientError } from '../../src/federation/client';
import { signRequest } from '../../src/federation/envelope/sign';
import { verifyResponse } from '../../src/federation/envelope/verify';
import { readChain, verifyChain, verifyChains } from '../../src/federation/evidence/chain';
import { dbEvidenceLog, type EvidenceLog } from '../../src/federation/evidence/log';
import { GENESIS_HASH } from '../../src/federation/evidence/record';
import { storedSnapshots, verifySnapshots } from '../../src/federation/evidence/snapshots';
import { loadSigner } from '../../src/federation/keys';
import { systemClock } from '../../src/lib/clock';
import { AppError } from '../../src/lib/errors';
import { randomIds } from '../../src/lib/ids';
import { silentLogger } from '../../src/lib/logger';
import type { Gateway } from '../../src/gateway';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, openSameDatabase, type TestDatabase } from '../support/db';
import { inProcessFetch, startTestGateway } from '../support/gateway';

const now = () => Math.floor(Date.now() / 1000);
let alliance: TestAlliance;
let dbs: TestDatabase[] = [];
let alpha: Gateway;
let beta: Gateway;
let registry: string;

beforeAll(async () => {
  alliance = await createTestAlliance([{ id: 'alpha', endpoint: 'http://alpha.test' }, { id: 'beta', endpoint: 'http://beta.test' }]);
  registry = await alliance.sign(1, now());
  dbs = [await createTestDatabase(), await createTestDatabase()];
  const routes: Record<string, Gateway> = {};
  const fetch = inProcessFetch(routes);
  alpha = await startTestGateway({ alliance, memberId: 'alpha', database: dbs[0]!.database, clock: systemClock, registry: () => registry, fetch });
  beta = await startTestGateway({ alliance, memberId: 'beta', database: dbs[1]!.database, clock: systemClock, registry: () => registry, fetch });
  routes['http://alpha.test'] = alpha;
  routes['http://beta.test'] = beta;
});

afterAll(async () => {
  for (const d of dbs) await d.drop();
});

const rows = (database: Database) => database.db.select().from(evidenceRecords).orderBy(asc(evidenceRecords.seq));

async function audit(database: Database, self: string, open?: (sealed: string) => Promise<string>) {
  const keys = await verifySnapshots(await storedSnapshots(database.db), alliance.anchors, now());
  return verifyChain(readChain(database.db), { keys, engine: defaultEngine, self, open });
}

describe('the evidence of a signed exchange between two gateways', () => {
  it('keeps four records, two on each side, with the same tokens and bodies, and both chains verify', async () => {
    const answer = await alpha.client.send({ to: 'beta', method: 'POST', path: '/federation/v1/ping', body: { hello: 'beta' }, caseRef: 'cs_demo' });
    expect(answer.status).toBe(200);
    const sent = await rows(alpha.deps.database);
    const received = await rows(beta.deps.database);
    expect(sent.map((r) => [r.kind, r.peer, r.caseRef])).toEqual([['request_sent', 'beta', 'cs_demo'], ['response_received', 'beta', 'cs_demo']]);
    expect(received.map((r) => [r.kind, r.peer, r.caseRef])).toEqual([['request_received', 'alpha', null], ['response_sent', 'alpha', null]]);
    // The same signed bytes on both sides: what one sent is what the other received.
    expect(received[0]!.token).toBe(sent[0]!.token);
    expect(received[1]!.token).toBe(sent[1]!.token);
    expect(sent[1]!.token).toBe(answer.responseToken);
    // Bodies are sealed at rest with the member's data key (a transfer carries an ID number).
    expect(received[0]!.body).toMatch(/^v1\./);
    expect(received[0]!.body).not.toContain(Buffer.from(JSON.stringify({ hello: 'beta' })).toString('base64'));
    expect(await beta.deps.sealer.open(received[0]!.body!)).toBe(Buffer.from(JSON.stringify({ hello: 'beta' })).toString('base64'));
    expect(Buffer.from(await beta.deps.sealer.open(received[1]!.body!), 'base64').equals(Buffer.from(answer.body))).toBe(true);
    await expect(alpha.deps.sealer.open(received[0]!.body!)).rejects.toThrow();
    for (const r of [...sent, ...received]) {
      expect(r).toMatchObject({ method: 'POST', path: '/federation/v1/ping', registrySeq: '1' });
      expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect([sent[0]!.prevHash, sent[1]!.prevHash]).toEqual([GENESIS_HASH, sent[0]!.hash]);
    expect([received[0]!.prevHash, received[1]!.prevHash]).toEqual([GENESIS_HASH, received[0]!.hash]);
    expect(await audit(alpha.deps.database, 'alpha', alpha.deps.sealer.open)).toMatchObject({ verified: 2, firstBad: null });
    expect(await audit(beta.deps.database, 'beta', beta.deps.sealer.open)).toMatchObject({ verified: 2, firstBad: null });
    // Without the key the bodies go unchecked but the chain and signatures still verify; with another key, a sealed body is named.
    expect(await audit(beta.deps.database, 'beta')).toMatchObject({ verified: 2, firstBad: null });
    expect(await audit(beta.deps.database, 'beta', alpha.deps.sealer.open)).toMatchObject({ firstBad: { problem: expect.stringMatching(/sealed/) } });
  });

  it('keeps a signed refusal too (a verified non-2xx answer), but nothing for a request refused before it verified', async () => {
    const before = (await rows(beta.deps.database)).length;
    const answer = await alpha.client.send({ to: 'beta', method: 'POST', path: '/federation/v1/ping', body: Buffer.from('not json') });
    expect(answer.status).toBe(400);
    expect(answer.verified).toBe(true);
    expect((await rows(beta.deps.database)).slice(before).map((r) => r.kind)).toEqual(['request_received', 'response_sent']);
    expect((await rows(alpha.deps.database)).slice(-1)[0]!.kind).toBe('response_received');
    const res = await beta.app.fetch(new Request('http://beta.test/federation/v1/ping', { method: 'POST', headers: { 'handshake-request': 'garbage' } }));
    expect(res.status).toBe(401);
    expect((await rows(beta.deps.database)).length).toBe(before + 2);
  });
});

describe('appending under concurrency', () => {
  it('keeps one unbroken chain when two instances on one database append 50 records at once', async () => {
    const tdb = dbs[1]!;
    const second = tdb.url ? await openSameDatabase(tdb.url) : tdb.database;
    try {
      const other = dbEvidenceLog({ db: second.db, engine: defaultEngine, clock: systemClock, registrySeq: () => 1, logger: silentLogger });
      const logs = [beta.deps.evidence, other];
      const signer = await loadSigner(alliance.members.get('alpha')!.privateJwk);
      const before = (await rows(tdb.database)).length;
      await Promise.all(Array.from({ length: 50 }, async (_, i) => {
        const body = Buffer.from(`{"n":${i}}`);
        const { token } = await signRequest(signer, { iss: 'alpha', aud: 'beta', method: 'POST', url: 'http://beta.test/federation/v1/ping', body }, systemClock, randomIds);
        await logs[i % 2]!.record({ kind: 'request_received', peer: 'alpha', method: 'POST', path: '/federation/v1/ping', token, body });
      }));
      const all = await rows(tdb.database);
      expect(all.length).toBe(before + 50);
      all.forEach((r, i) => expect(r.prevHash).toBe(i === 0 ? GENESIS_HASH : all[i - 1]!.hash));
      expect(await audit(tdb.database, 'beta')).toMatchObject({ verified: before + 50, firstBad: null });
    } finally {
      if (second !== tdb.database) await second.close();
    }
  });
});

describe('chains of their own (one per gateway process)', () => {
  const signedPing = async (i: number) => {
    const signer = await loadSigner(alliance.members.get('alpha')!.privateJwk);
    const body = Buffer.from(`{"n":${i}}`);
    const { token } = await signRequest(signer, { iss: 'alpha', aud: 'beta', method: 'POST', url: 'http://beta.test/federation/v1/ping', body }, systemClock, randomIds);
    return { kind: 'request_received' as const, peer: 'alpha', method: 'POST', path: '/federation/v1/ping', token, body };
  };
  const ownLog = (db: Database['db'], chain: string) => dbEvidenceLog({ db, engine: defaultEngine, clock: systemClock, registrySeq: () => 1, logger: silentLogger, chain });
  // The registry snapshots the tokens' keys come from are beta's (these databases hold records only).
  const auditAll = async (database: Database) => verifyChains(database.db, { keys: await verifySnapshots(await storedSnapshots(beta.deps.database.db), alliance.anchors, now()), engine: defaultEngine, self: 'beta' });

  it('two instances with their own chains and the shared chain append 90 records at once: three chains, each unbroken, no lock between them', async () => {
    const tdb = await createTestDatabase();
    const second = tdb.url ? await openSameDatabase(tdb.url) : tdb.database;
    try {
      const logs = [ownLog(tdb.database.db, 'ch_one'), ownLog(second.db, 'ch_two'), dbEvidenceLog({ db: tdb.database.db, engine: defaultEngine, clock: systemClock, registrySeq: () => 1, logger: silentLogger })];
      const entries = await Promise.all(Array.from({ length: 90 }, (_, i) => signedPing(i)));
      const kept = await Promise.all(entries.map((e, i) => logs[i % 3]!.record(e)));
      expect(new Set(kept.map((k) => k.seq)).size).toBe(90);
      const all = await rows(tdb.database);
      for (const chain of ['ch_one', 'ch_two', '']) {
        const mine = all.filter((r) => r.chain === chain);
        expect(mine).toHaveLength(30);
        mine.forEach((r, i) => expect(r.prevHash, `${chain} #${i}`).toBe(i === 0 ? GENESIS_HASH : mine[i - 1]!.hash));
      }
      const report = await auditAll(tdb.database);
      expect(report.verified).toBe(90);
      expect(report.firstBad).toBeNull();
      expect(report.chains.map((c) => [c.chain, c.verified]).sort()).toEqual([['', 30], ['ch_one', 30], ['ch_two', 30]]);
    } finally {
      if (second !== tdb.database) await second.close();
      await tdb.drop();
    }
  });

  it('after an insert whose outcome it could not know, the chain goes on from what was really kept', async () => {
    const tdb = await createTestDatabase();
    try {
      // The insert runs and commits, but the caller hears an error (a connection lost after the commit), or it never runs.
      let fault: 'after-commit' | 'before' | null = null;
      const real = tdb.database.db;
      const isEvidenceInsert = (q: SQL) => /^\s*insert into evidence_records/.test(new PgDialect().sqlToQuery(q).sql);
      const db = new Proxy(real, {
        get(target, prop, receiver) {
          if (prop !== 'execute') return Reflect.get(target, prop, receiver) as unknown;
          return (q: SQL) => {
            if (!fault || !isEvidenceInsert(q)) return target.execute(q);
            const which = fault;
            fault = null;
            return which === 'before' ? Promise.reject(new Error('connection refused')) : target.execute(q).then(() => { throw new Error('connection lost after commit'); });
          };
        },
      });
      const log = ownLog(db, 'ch_flaky');
      await log.record(await signedPing(1));
      fault = 'after-commit';
      await expect(log.record(await signedPing(2))).rejects.toMatchObject({ code: 'upstream_unavailable' });
      await log.record(await signedPing(3));
      fault = 'before';
      await expect(log.record(await signedPing(4))).rejects.toMatchObject({ code: 'upstream_unavailable' });
      await log.record(await signedPing(5));
      const mine = (await rows(tdb.database)).filter((r) => r.chain === 'ch_flaky');
      // 1, 2 (kept though its caller was told otherwise), 3 and 5; 4 was never written.
      expect(mine.map((r) => JSON.parse(Buffer.from(r.body!, 'base64').toString()).n)).toEqual([1, 2, 3, 5]);
      expect(await auditAll(tdb.database)).toMatchObject({ verified: 4, firstBad: null });
    } finally {
      await tdb.drop();
    }
  });

  it('a record changed in one chain is named, and the other chains still verify', async () => {
    const tdb = await createTestDatabase();
    try {
      for (const [i, chain] of ['ch_a', 'ch_b', 'ch_a', 'ch_b', 'ch_a'].entries()) await ownLog(tdb.database.db, chain).record(await signedPing(i));
      const target = (await rows(tdb.database)).filter((r) => r.chain === 'ch_a')[1]!;
      await tdb.database.db.execute(sql`alter table evidence_records disable trigger user`);
      await tdb.database.db.execute(sql`update evidence_records set peer = 'mallory' where seq = ${target.seq}`);
      await tdb.database.db.execute(sql`alter table evidence_records enable trigger user`);
      const report = await auditAll(tdb.database);
      expect(report.firstBad).toMatchObject({ chain: 'ch_a', seq: target.seq, problem: expect.stringMatching(/hash does not match/) });
      expect(report.chains.find((c) => c.chain === 'ch_b')).toMatchObject({ verified: 2, firstBad: null });
    } finally {
      await tdb.drop();
    }
  });
});

describe('when evidence cannot be written', () => {
  const failing = (kinds: string[], real: EvidenceLog): EvidenceLog => ({
    record: (e) => (kinds.includes(e.kind) ? Promise.reject(new AppError('upstream_unavailable', 'the evidence log cannot be written')) : real.record(e)),
  });

  it('answers a signed 503 and does not run the handler when the request cannot be kept', async () => {
    const real = beta.deps.evidence;
    beta.deps.evidence = failing(['request_received', 'response_sent'], real);
    try {
      const signer = await loadSigner(alliance.members.get('alpha')!.privateJwk);
      const { token, claims } = await signRequest(signer, { iss: 'alpha', aud: 'beta', method: 'POST', url: 'http://beta.test/federation/v1/ping', body: new Uint8Array() }, systemClock, randomIds);
      const send = () => beta.app.fetch(new Request('http://beta.test/federation/v1/ping', { method: 'POST', headers: { 'handshake-request': token } }));
      const res = await send();
      const body = new Uint8Array(await res.arrayBuffer());
      expect(res.status).toBe(503);
      expect(JSON.parse(Buffer.from(body).toString())).toMatchObject({ code: 'upstream_unavailable' });
      await verifyResponse({ token: res.headers.get('handshake-response'), status: 503, body, requestJti: claims.jti }, { registry: alpha.registry.current(), selfId: 'alpha', nowSec: now() });
      // The handler never ran, so the jti was never claimed: the same request goes through once evidence is back.
      beta.deps.evidence = real;
      expect((await send()).status).toBe(200);
    } finally {
      beta.deps.evidence = real;
    }
  });

  it('replaces an answer it cannot keep with a signed 503', async () => {
    const real = beta.deps.evidence;
    beta.deps.evidence = failing(['response_sent'], real);
    try {
      const answer = await alpha.client.send({ to: 'beta', method: 'POST', path: '/federation/v1/ping' });
      expect(answer.status).toBe(503);
      expect(answer.verified).toBe(true);
      expect(answer.retryable).toBe(true);
    } finally {
      beta.deps.evidence = real;
    }
  });

  it('sends nothing, and takes no answer, that it cannot keep', async () => {
    let calls = 0;
    const fetch = inProcessFetch({ 'http://beta.test': beta });
    const client = (kinds: string[]) => createFederationClient({
      self: alpha.deps.self, registry: alpha.registry, clock: systemClock, ids: randomIds,
      fetch: (input, init) => { calls++; return fetch(input, init); }, evidence: failing(kinds, alpha.deps.evidence),
    });
    const e = await client(['request_sent']).send({ to: 'beta', method: 'POST', path: '/federation/v1/ping' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FederationClientError);
    expect(e).toMatchObject({ kind: 'evidence_unavailable', retryable: true });
    expect(calls).toBe(0);
    const e2 = await client(['response_received']).send({ to: 'beta', method: 'POST', path: '/federation/v1/ping' }).catch((x: unknown) => x);
    expect(e2).toMatchObject({ kind: 'evidence_unavailable', retryable: true, status: 200 });
    expect(calls).toBe(1);
  });
});

describe('the evidence_records table', () => {
  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    const db = beta.deps.database.db;
    const reason = (e: unknown) => { const err = e as Error & { cause?: Error }; return `${err.message} ${err.cause?.message ?? ''}`; };
    for (const statement of [sql`update evidence_records set peer = 'mallory'`, sql`delete from evidence_records`, sql`truncate evidence_records`]) {
      const e = await db.execute(statement).then(() => null, (x: unknown) => x);
      expect(e, statement.queryChunks.join('')).not.toBeNull();
      expect(reason(e)).toMatch(/append-only/);
    }
  });
});
