import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { signRequest } from '../../src/federation/envelope/sign';
import { loadSigner, type Signer } from '../../src/federation/keys';
import { systemClock } from '../../src/lib/clock';
import { utf8 } from '../../src/lib/encoding';
import { randomIds } from '../../src/lib/ids';
import type { Gateway } from '../../src/gateway';
import type { Database } from '../../src/db/client';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, openSameDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';
import { ReplayGuard, rowsOf } from '../../src/federation/replay-guard';

const BASE = 'https://beta.example.test';
let alliance: TestAlliance;
let tdb: TestDatabase;
let second: Database | null = null;
let one: Gateway;
let two: Gateway;
let alpha: Signer;

beforeAll(async () => {
  alliance = await createTestAlliance([{ id: 'alpha', endpoint: 'https://alpha.example.test' }, { id: 'beta', endpoint: BASE }]);
  const token = await alliance.sign(1, Math.floor(Date.now() / 1000));
  tdb = await createTestDatabase();
  // Two instances of member beta: on PostgreSQL each has its own pool on the shared database.
  second = tdb.url ? await openSameDatabase(tdb.url) : null;
  one = await startTestGateway({ alliance, memberId: 'beta', database: tdb.database, clock: systemClock, registry: () => token });
  two = await startTestGateway({ alliance, memberId: 'beta', database: second ?? tdb.database, clock: systemClock, registry: () => token });
  alpha = await loadSigner(alliance.members.get('alpha')!.privateJwk);
});

afterAll(async () => {
  await second?.close();
  await tdb?.drop();
});

async function ping(gw: Gateway, opts: { token?: string; body?: string; key?: string; path?: string } = {}) {
  const body = opts.body ?? '';
  const path = opts.path ?? '/federation/v1/ping';
  const token = opts.token ?? (await signRequest(alpha, { iss: 'alpha', aud: 'beta', method: 'POST', url: BASE + path, body: utf8(body) }, systemClock, randomIds)).token;
  const headers: Record<string, string> = { 'handshake-request': token };
  if (body) headers['content-type'] = 'application/json';
  if (opts.key !== undefined) headers['idempotency-key'] = opts.key;
  const res = await gw.app.request(BASE + path, { method: 'POST', headers, body: body || undefined });
  return { res, text: await res.text(), token };
}

describe('replay guard shared by every instance', () => {
  it('a request accepted by one instance is a replay at the other', async () => {
    const first = await ping(one);
    expect(first.res.status).toBe(200);
    const replayed = await ping(two, { token: first.token });
    expect(replayed.res.status).toBe(401);
    expect(JSON.parse(replayed.text)).toMatchObject({ code: 'replay' });
  });

  it('concurrent deliveries of one token: exactly one is accepted', async () => {
    const { token } = await signRequest(alpha, { iss: 'alpha', aud: 'beta', method: 'POST', url: `${BASE}/federation/v1/ping`, body: new Uint8Array() }, systemClock, randomIds);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => ping(i % 2 ? one : two, { token })));
    expect(results.filter((r) => r.res.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.res.status === 401)).toHaveLength(7);
  });

  it('claims batched under load: each pair is first exactly once, kept until exp + 30 s', async () => {
    const guard = new ReplayGuard(tdb.database.db);
    const exp = Math.floor(Date.now() / 1000) + 60;
    const pairs = Array.from({ length: 10 }, (_, i) => `batch-${i}-${'x'.repeat(16)}`);
    const claims = await Promise.all(Array.from({ length: 50 }, (_, i) => guard.claim('alpha', pairs[i % 10]!, exp)));
    expect(claims.filter(Boolean)).toHaveLength(10);
    const rows = rowsOf<{ jti: string; expires_at: string | Date }>(await tdb.database.db.execute(sql`select jti, expires_at from replay_guard where jti like 'batch-%'`));
    expect(rows.map((r) => r.jti).sort()).toEqual([...pairs].sort());
    expect(new Date(rows[0]!.expires_at).getTime()).toBe((exp + 30) * 1000);
    expect(await guard.claim('alpha', pairs[0]!, exp)).toBe(false);
    expect(await guard.claim('gamma', pairs[0]!, exp)).toBe(true);
  });

  it('purge drops only pairs past exp + 30 s', async () => {
    const db = tdb.database.db;
    await db.execute(sql`insert into replay_guard (iss, jti, expires_at) values ('alpha', 'old-old-old-old-old-old', now() - interval '1 minute')`);
    const before = await db.execute(sql`select count(*)::int as n from replay_guard`);
    const purged = await one.purge();
    expect(purged.replay).toBe(1);
    const after = await db.execute(sql`select count(*)::int as n from replay_guard`);
    const count = (r: unknown) => Number(((r as { rows?: { n: number }[] }).rows ?? (r as { n: number }[]))[0]!.n);
    expect(count(after)).toBe(count(before) - 1);
  });
});

describe('idempotency (§5), across instances', () => {
  it('a repeat with the same key and body gets the first answer again, freshly signed', async () => {
    const first = await ping(one, { key: 'k-same', body: '{"n":1}' });
    expect(first.res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 5));
    const again = await ping(two, { key: 'k-same', body: '{"n":1}' });
    expect(again.res.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(again.res.headers.get('idempotent-replayed')).toBe('true');
    expect(again.res.headers.get('handshake-response')).not.toBe(first.res.headers.get('handshake-response'));
  });

  it('the same key with another body or path is 409 idempotency_conflict', async () => {
    expect((await ping(one, { key: 'k-conflict', body: '{"n":1}' })).res.status).toBe(200);
    const other = await ping(two, { key: 'k-conflict', body: '{"n":2}' });
    expect(other.res.status).toBe(409);
    expect(JSON.parse(other.text)).toMatchObject({ code: 'idempotency_conflict' });
    expect(other.res.headers.has('handshake-response')).toBe(true);
  });

  it('an error answer is kept as the first answer too', async () => {
    const bad = await ping(one, { key: 'k-bad', body: 'not json' });
    expect(bad.res.status).toBe(400);
    const again = await ping(two, { key: 'k-bad', body: 'not json' });
    expect(again.res.status).toBe(400);
    // Same requestId: the stored answer, not a second run.
    expect(again.text).toBe(bad.text);
  });

  it('a malformed Idempotency-Key is 400 naming the header', async () => {
    const r = await ping(one, { key: 'x'.repeat(129) });
    expect(r.res.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ code: 'invalid_request', errors: [{ path: 'header.Idempotency-Key' }] });
  });
});
