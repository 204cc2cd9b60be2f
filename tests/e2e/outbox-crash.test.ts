import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { openDatabase } from '../../src/entry/node/database';
import { enqueueMessage } from '../../src/federation/outbox/enqueue';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { createTestAlliance, writeAllianceFiles } from '../support/alliance';
import { freePort } from '../support/http';
import { createProcessDatabase } from '../support/db';
import { receiverProxy, until } from '../support/receiver-proxy';
import { startGatewayProcess, type GatewayProcess } from '../support/process';

const admin = process.env.DATABASE_URL;



describe.skipIf(!admin)('outbox across a crash of the sender and an outage of the receiver (real processes; needs PostgreSQL: DATABASE_URL)', () => {
  const names: string[] = [];
  let procs: { a?: GatewayProcess; b?: GatewayProcess } = {};
  let envA: Record<string, string>;
  let envB: Record<string, string>;
  let ports: { a: number; b: number; proxy: number };
  let proxy: ReturnType<typeof receiverProxy>;
  let dbA: Awaited<ReturnType<typeof openDatabase>>;
  let sqlA: postgres.Sql;
  let sqlB: postgres.Sql;

  async function createDatabase(id: string): Promise<string> {
    const { name, url } = await createProcessDatabase(admin!, `hs_e2e_outbox_${id}`);
    names.push(name);
    return url;
  }


  const enqueue = (n: number, batch: string) => Promise.all(Array.from({ length: n }, (_, i) => enqueueMessage(dbA.db, {
    kind: 'ping', to: 'beta', method: 'POST', path: '/federation/v1/ping', body: { batch, i },
  }, { ids: randomIds, clock: systemClock })));
  const statuses = async () => Object.fromEntries((await sqlA`select status, count(*)::int as n from outbox_messages group by status`).map((r) => [r.status as string, r.n as number]));
  const keysAtB = async () => (await sqlB`select key, status from idempotency_keys where iss = 'alpha'`) as unknown as { key: string; status: number | null }[];

  beforeAll(async () => {
    ports = { a: await freePort(), b: await freePort(), proxy: await freePort() };
    proxy = receiverProxy(() => `http://127.0.0.1:${ports.b}`);
    await new Promise<void>((r) => proxy.server.listen(ports.proxy, '127.0.0.1', r));
    const alliance = await createTestAlliance([{ id: 'alpha', endpoint: `http://127.0.0.1:${ports.a}` }, { id: 'beta', endpoint: `http://127.0.0.1:${ports.proxy}` }]);
    const files = writeAllianceFiles(alliance, await alliance.sign(1, Math.floor(Date.now() / 1000)));
    const [urlA, urlB] = [await createDatabase('a'), await createDatabase('b')];
    const common = { HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: files.registry };
    envA = {
      ...common, HANDSHAKE_MEMBER_ID: 'alpha', HANDSHAKE_PUBLIC_URL: `http://127.0.0.1:${ports.a}`, HANDSHAKE_SIGNING_KEY: files.keyFile('alpha'),
      DATABASE_URL: urlA, HANDSHAKE_DATA_DIR: `${files.dir}/alpha`,
      // Small numbers so the test runs in seconds: a dead sender's claims lapse after 2 s, retries come within 1 s.
      HANDSHAKE_OUTBOX_BASE_MS: '100', HANDSHAKE_OUTBOX_CAP_MS: '1000', HANDSHAKE_OUTBOX_LEASE_MS: '2000', HANDSHAKE_OUTBOX_COOLDOWN_MS: '1000',
    };
    envB = {
      ...common, HANDSHAKE_MEMBER_ID: 'beta', HANDSHAKE_PUBLIC_URL: `http://127.0.0.1:${ports.proxy}`, HANDSHAKE_SIGNING_KEY: files.keyFile('beta'),
      DATABASE_URL: urlB, HANDSHAKE_DATA_DIR: `${files.dir}/beta`,
    };
    sqlA = postgres(urlA, { max: 2, onnotice: () => {} });
    sqlB = postgres(urlB, { max: 2, onnotice: () => {} });
    [dbA, procs.b] = await Promise.all([openDatabase({ databaseUrl: urlA, pgliteDir: '', maxConnections: 4 }), startGatewayProcess(envB, ports.b)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([procs.a?.stop(true), procs.b?.stop()]);
    proxy?.release();
    await new Promise((r) => proxy?.server.close(r));
    await Promise.all([dbA?.close(), sqlA?.end({ timeout: 1 }), sqlB?.end({ timeout: 1 })]);
    const sql = postgres(admin!, { max: 1, onnotice: () => {} });
    for (const name of names) await sql.unsafe(`drop database if exists ${name} with (force)`);
    await sql.end();
    procs = {};
  });

  it('a sender killed with -9 mid-delivery resumes after restart: all 200 delivered, each processed once by B', async () => {
    const before = await enqueue(150, 'before');
    proxy.state.holdAfter = 60; // then A's requests stay in flight, unanswered, until A is killed
    procs.a = await startGatewayProcess(envA, ports.a);
    const during = await enqueue(50, 'during');
    await until('60 delivered and A stuck with requests in flight', async () => (await statuses()).delivered === 60 && proxy.state.held.length === 8);
    await procs.a.stop(true);
    const killed = await statuses();
    expect(killed).toMatchObject({ delivered: 60, delivering: 8, pending: 132 });

    // The requests A sent before it died still reach B, which does the work; A never hears the answers.
    const inFlight = proxy.state.held.length;
    proxy.release();
    await until('B answered the orphaned requests', async () => proxy.state.fresh === 60 + inFlight);

    procs.a = await startGatewayProcess(envA, ports.a);
    await until('all 200 delivered', async () => (await statuses()).delivered === 200);
    const rows = await sqlA`select id, idempotency_key, status, response_status, response_token from outbox_messages`;
    expect(rows.every((r) => r.status === 'delivered' && r.response_status === 200 && typeof r.response_token === 'string')).toBe(true);
    const ids = [...before, ...during].map((m) => m.id).sort();
    const keys = await keysAtB();
    expect(keys.map((k) => k.key).sort()).toEqual(ids);
    expect(new Set(keys.map((k) => k.key)).size).toBe(200);
    expect(keys.every((k) => k.status === 200)).toBe(true);
    // Nothing processed twice: the orphaned messages were retried and answered from B's record.
    expect(proxy.state.fresh).toBe(200);
    expect(proxy.state.replayed).toBe(inFlight);
  }, 60_000);

  it('while the receiver is down the sender keeps retrying; once it is back everything is delivered, nothing twice', async () => {
    await procs.b!.stop();
    const later = await enqueue(20, 'receiver-down');
    await until('A has tried and failed', async () => {
      const [r] = await sqlA`select count(*)::int as n from outbox_messages where status = 'pending' and attempts > 0 and last_error like 'network:%'`;
      return r!.n > 0;
    });
    expect((await statuses()).delivered).toBe(200);

    procs.b = await startGatewayProcess(envB, ports.b);
    await until('all 220 delivered', async () => (await statuses()).delivered === 220);
    const keys = await keysAtB();
    expect(keys).toHaveLength(220);
    expect(new Set(keys.map((k) => k.key)).size).toBe(220);
    expect(later.every((m) => keys.some((k) => k.key === m.idempotencyKey))).toBe(true);
    expect(proxy.state.fresh).toBe(220);
  }, 60_000);
});
