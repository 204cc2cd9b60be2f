import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { openDatabase } from '../../src/entry/node/database';
import { signRequest } from '../../src/federation/envelope/sign';
import { loadSigner, type Signer } from '../../src/federation/keys';
import { systemClock } from '../../src/lib/clock';
import { utf8 } from '../../src/lib/encoding';
import { randomIds } from '../../src/lib/ids';
import { addClerk } from '../../src/services/clerks/add-clerk';
import { createTestAlliance, writeAllianceFiles } from '../support/alliance';
import { createProcessDatabase, dropDatabases } from '../support/db';
import { freePort } from '../support/http';
import { startGatewayProcess, type GatewayProcess } from '../support/process';
import { receiverProxy, until } from '../support/receiver-proxy';

// Scale-out (issue 7): each member runs as TWO gateway processes on one PostgreSQL database, the same
// environment but PORT. gaoxin (intake) has instances a and b, each with its own outbox worker; xihaike
// (handling) has instances a and b behind one public URL, a proxy that takes turns between them and counts
// what they answered afresh and from their §5 record. Requests are also sent straight to one instance or
// the other, to show that the replay guard and the idempotency store are the database's, not a process's.

const admin = process.env.DATABASE_URL;
const ITEM = 'KS-GJJ-003';
const PING = '/federation/v1/ping';
const TRANSFER = '/federation/v1/cases';
/** Outbox deliveries in flight at once per process (src/entry/node/outbox-worker.ts). */
const WORKER_CONCURRENCY = 8;
const CASES = 40;
const MORE_CASES = 20;
const INSTANCES = ['a', 'b'] as const;
type Instance = (typeof INSTANCES)[number];
type Member = 'gaoxin' | 'xihaike';
type Json = Record<string, unknown>;

async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) { const i = next++; await fn(items[i]!, i); }
  }));
}

describe.skipIf(!admin)('two gateway instances of one member on one PostgreSQL database (real processes; needs DATABASE_URL)', () => {
  const names: string[] = [];
  const procs: Partial<Record<`${Member}:${Instance}`, GatewayProcess>> = {};
  const ports = {} as Record<`${Member}:${Instance}`, number>;
  const envs = {} as Record<Member, Record<string, string>>;
  const sql = {} as Record<Member, postgres.Sql>;
  let proxy: ReturnType<typeof receiverProxy>;
  let xihaikeUrl = '';
  let token = '';
  let gaoxin: Signer;
  let dir: string | undefined;

  beforeAll(async () => {
    for (const m of ['gaoxin', 'xihaike'] as const) for (const i of INSTANCES) ports[`${m}:${i}`] = await freePort();
    let turn = 0;
    proxy = receiverProxy(() => `http://127.0.0.1:${ports[`xihaike:${INSTANCES[turn++ % 2]!}`]}`);
    const proxyPort = await freePort();
    await new Promise<void>((r) => proxy.server.listen(proxyPort, '127.0.0.1', r));
    xihaikeUrl = `http://127.0.0.1:${proxyPort}`;
    const publicUrl: Record<Member, string> = { gaoxin: `http://127.0.0.1:${ports['gaoxin:a']}`, xihaike: xihaikeUrl };
    const alliance = await createTestAlliance([{ id: 'gaoxin', endpoint: publicUrl.gaoxin }, { id: 'xihaike', endpoint: publicUrl.xihaike }]);
    alliance.members.get('xihaike')!.items = [{ code: ITEM, modes: ['proxy_intake'] }];
    gaoxin = await loadSigner(alliance.members.get('gaoxin')!.privateJwk);
    const files = writeAllianceFiles(alliance, await alliance.sign(1, Math.floor(Date.now() / 1000)));
    dir = files.dir;
    const partnersDir = join(files.dir, 'partners'); // none: only the federation is exercised
    mkdirSync(partnersDir);
    for (const id of ['gaoxin', 'xihaike'] as const) {
      const { name, url } = await createProcessDatabase(admin!, `hs_rel_scale_${id}`);
      names.push(name);
      sql[id] = postgres(url, { max: 4, onnotice: () => {} });
      envs[id] = {
        HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: files.registry, HANDSHAKE_PARTNERS_DIR: partnersDir,
        HANDSHAKE_MEMBER_ID: id, HANDSHAKE_PUBLIC_URL: publicUrl[id], HANDSHAKE_SIGNING_KEY: files.keyFile(id),
        DATABASE_URL: url, HANDSHAKE_DATA_DIR: join(files.dir, id), HANDSHAKE_DATA_KEY: randomBytes(32).toString('hex'),
        // A dead instance's claims lapse after 10 s (well past a loopback delivery); retries within 1 s.
        HANDSHAKE_OUTBOX_BASE_MS: '100', HANDSHAKE_OUTBOX_CAP_MS: '1000', HANDSHAKE_OUTBOX_LEASE_MS: '10000', HANDSHAKE_OUTBOX_COOLDOWN_MS: '1000',
      };
    }
    // All four at once, each pair on its empty database: both instances migrate and seed side by side.
    await Promise.all((['gaoxin', 'xihaike'] as const).flatMap((m) => INSTANCES.map(async (i) => {
      procs[`${m}:${i}`] = await startGatewayProcess(envs[m], ports[`${m}:${i}`]);
    })));
    const clerkDb = await openDatabase({ databaseUrl: envs.gaoxin.DATABASE_URL!, pgliteDir: '', migrate: false, maxConnections: 1 });
    ({ token } = await addClerk({ ctx: { db: clerkDb.db, clock: systemClock, ids: randomIds }, input: { name: '王五', window: 'kuayu-1', role: 'intake', windows: null } }));
    await clerkDb.close();
  }, 90_000);

  afterAll(async () => {
    await Promise.all(Object.values(procs).map((p) => p.stop(true)));
    if (proxy) {
      proxy.release();
      proxy.server.closeAllConnections();
      await new Promise((r) => proxy.server.close(r));
    }
    await Promise.all(Object.values(sql).map((s) => s.end({ timeout: 1 })));
    if (admin) await dropDatabases(admin, names);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  /** A gaoxin request for xihaike, signed for xihaike's public URL (a fresh jti each time). */
  async function sign(path: string, body?: unknown): Promise<{ token: string; jti: string; bytes: Uint8Array }> {
    const bytes = body === undefined ? new Uint8Array() : utf8(JSON.stringify(body));
    const s = await signRequest(gaoxin, { iss: 'gaoxin', aud: 'xihaike', method: 'POST', url: xihaikeUrl + path, body: bytes }, systemClock, randomIds);
    return { token: s.token, jti: s.claims.jti, bytes };
  }

  /** Sends a signed request straight to one xihaike instance, past the proxy. */
  async function send(i: Instance, path: string, s: { token: string; bytes: Uint8Array }, key?: string) {
    const headers: Record<string, string> = { 'handshake-request': s.token };
    if (s.bytes.byteLength) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    const res = await fetch(`http://127.0.0.1:${ports[`xihaike:${i}`]}${path}`, { method: 'POST', headers, body: s.bytes as Uint8Array<ArrayBuffer> });
    return { status: res.status, json: (await res.json()) as Json, replayed: res.headers.get('idempotent-replayed') === 'true', signed: res.headers.has('handshake-response') };
  }

  async function api(i: Instance, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Json }> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`http://127.0.0.1:${ports[`gaoxin:${i}`]}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Json };
  }

  /** A case taken in at one gaoxin instance with every material its completeness lacks. */
  async function takeIn(i: Instance, n: number): Promise<{ ref: string; caseId: string }> {
    const created = await api(i, 'POST', '/api/v1/cases', {
      itemCode: ITEM, mode: 'proxy_intake',
      applicant: { kind: 'person', name: `申请人${n}`, idType: 'resident_id', idNumber: `3702111992070${String(n).padStart(5, '0')}` },
      identityCheck: { method: 'id_card_reader', result: 'passed' }, delivery: { method: 'window' }, consent: { dataSharing: true, at: new Date().toISOString() },
    });
    if (created.status !== 201) throw new Error(`create case ${n} at ${i}: ${created.status} ${JSON.stringify(created.json)}`);
    const ref = created.json.ref as string;
    const missing = (await api(i, 'GET', `/api/v1/cases/${ref}/completeness`)).json.missing as { id: string; name: string }[];
    for (const m of missing) {
      const up = await api(i, 'POST', `/api/v1/cases/${ref}/materials`, { requirement: m.id, name: m.name, mediaType: 'application/pdf', content: Buffer.concat([Buffer.from(`%PDF-1.7 ${m.id} ${n}\n`), randomBytes(256)]).toString('base64') });
      if (up.status !== 201) throw new Error(`material ${m.id} of ${ref}: ${up.status}`);
    }
    return { ref, caseId: created.json.caseId as string };
  }

  /** Takes in `count` cases, alternately at a and b, then transfers each through the OTHER instance. */
  async function takeInAndTransfer(from: number, count: number): Promise<{ ref: string; caseId: string }[]> {
    const taken: { ref: string; caseId: string }[] = [];
    await eachLimit(Array.from({ length: count }, (_, k) => from + k), 8, async (n) => { taken.push(await takeIn(INSTANCES[n % 2]!, n)); });
    await eachLimit(taken, 8, async (c, k) => {
      const t = await api(INSTANCES[(k + 1) % 2]!, 'POST', `/api/v1/cases/${c.ref}/transfer`);
      if (t.status !== 202) throw new Error(`transfer ${c.ref}: ${t.status} ${JSON.stringify(t.json)}`);
    });
    return taken;
  }

  const outboxStatuses = async () => Object.fromEntries((await sql.gaoxin`select status, count(*)::int as n from outbox_messages group by status`).map((r) => [r.status as string, r.n as number]));
  const received = async () => (await sql.gaoxin`select count(*)::int as n from cases where role = 'intake' and state = 'received'`)[0]!.n as number;

  /** Each case once at xihaike, its receipt kept at gaoxin; each message delivered, its key once at xihaike. */
  async function expectEachCaseOnce(taken: { ref: string; caseId: string }[]): Promise<void> {
    const handling = await sql.xihaike`select ref, intake_case_id, receipt_id from cases where role = 'handling' and intake_member = 'gaoxin' and intake_case_id like 'gaoxin-%'`;
    expect(handling.map((h) => h.intake_case_id as string).sort()).toEqual(taken.map((c) => c.caseId).sort());
    const intake = await sql.gaoxin`select ref, intake_case_id, state, remote_ref, receipt_id from cases where role = 'intake'`;
    expect(new Set(intake.map((c) => c.intake_case_id as string)).size, 'case numbers drawn by both instances').toBe(intake.length);
    const byCaseId = new Map(handling.map((h) => [h.intake_case_id as string, { state: 'received', remote_ref: h.ref as string, receipt_id: h.receipt_id as string }]));
    for (const c of intake) expect({ state: c.state, remote_ref: c.remote_ref, receipt_id: c.receipt_id }, c.ref as string).toEqual(byCaseId.get(c.intake_case_id as string));
    const messages = await sql.gaoxin`select idempotency_key, status, response_status from outbox_messages where kind = 'case_transfer'`;
    expect(messages.map((m) => `${m.status as string} ${m.response_status as number}`)).toEqual(taken.map(() => 'delivered 202'));
    const keys = await sql.xihaike`select key, status from idempotency_keys where iss = 'gaoxin' and path = ${TRANSFER}`;
    expect(keys.map((k) => `${k.key as string} ${k.status as number}`).sort()).toEqual(messages.map((m) => `${m.idempotency_key as string} 202`).concat(['scale-transfer-1 202']).sort());
  }

  it('both instances of each member started together on an empty database: migrated and seeded once, both serving', async () => {
    for (const m of ['gaoxin', 'xihaike'] as const) {
      expect((await sql[m]`select count(*)::int as n from catalog_versions`)[0]!.n, m).toBe(1);
      for (const i of INSTANCES) expect((await fetch(`http://127.0.0.1:${ports[`${m}:${i}`]}/health`)).status, `${m} ${i}`).toBe(200);
    }
  });

  it('replay guard: one signed request (one jti) is answered by one instance and refused as replay by the other, whichever comes first', async () => {
    const first = await sign(PING);
    expect(await send('a', PING, first)).toMatchObject({ status: 200, json: { member: 'xihaike' } });
    expect(await send('b', PING, first)).toMatchObject({ status: 401, json: { code: 'replay' }, signed: true });
    const second = await sign(PING);
    expect((await send('b', PING, second)).status).toBe(200);
    expect(await send('a', PING, second)).toMatchObject({ status: 401, json: { code: 'replay' } });
    // Both at once, five times each: exactly one instance answers it.
    const raced = await sign(PING);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, k) => send(INSTANCES[k % 2]!, PING, raced)));
    expect(answers.map((r) => (r.status === 200 ? 'ok' : r.json.code)).sort()).toEqual(['ok', ...Array<string>(9).fill('replay')]);
    const seen = await sql.xihaike`select jti from replay_guard where iss = 'gaoxin' and jti in ${sql.xihaike([first.jti, second.jti, raced.jti])}`;
    expect(seen).toHaveLength(3);
  });

  it('idempotency: the same Idempotency-Key at both instances gets the first answer again, one record; the same §5 transfer raced to both makes one case and one receipt', async () => {
    const key = 'scale-ping-1';
    const a = await send('a', PING, await sign(PING, { hello: 1 }), key);
    const b = await send('b', PING, await sign(PING, { hello: 1 }), key);
    expect(a).toMatchObject({ status: 200, replayed: false });
    expect(b).toMatchObject({ status: 200, replayed: true, json: a.json, signed: true });
    expect(await send('b', PING, await sign(PING, { hello: 2 }), key)).toMatchObject({ status: 409, json: { code: 'idempotency_conflict' } });
    expect([...await sql.xihaike`select status from idempotency_keys where iss = 'gaoxin' and key = ${key}`]).toEqual([{ status: 200 }]);

    const content = utf8('%PDF-1.7 购房合同');
    const transfer = {
      caseId: 'GX-SCALE-0001', itemCode: ITEM, mode: 'proxy_intake',
      applicant: { kind: 'person', name: '李四', idType: 'resident_id', idNumber: '370211199202021234' },
      intake: { member: 'gaoxin', window: 'kuayu-1', clerk: 'clerk-1', receivedAt: new Date().toISOString(), identityCheck: { method: 'id_card_reader', result: 'passed' } },
      materials: [{ requirement: 'purchase-contract', name: '购房合同', mediaType: 'application/pdf', size: content.length, sha256: createHash('sha256').update(content).digest('hex'), content: Buffer.from(content).toString('base64') }],
      delivery: { method: 'window' }, consent: { dataSharing: true, at: new Date().toISOString() },
    };
    // A sender retrying at each instance at once, each attempt freshly signed; 429 (first still in progress) is retried.
    const deliver = async (i: Instance) => {
      for (let tries = 0; ; tries++) {
        const r = await send(i, TRANSFER, await sign(TRANSFER, transfer), 'scale-transfer-1');
        if (r.status !== 429 || tries >= 50) return r;
        await new Promise((res) => setTimeout(res, 100));
      }
    };
    const raced = await Promise.all([deliver('a'), deliver('b'), deliver('a'), deliver('b')]);
    expect(raced.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    expect(raced.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(raced.map((r) => JSON.stringify(r.json))).size, 'the same receipt').toBe(1);
    const [receipt] = raced.map((r) => r.json);
    const kept = await sql.xihaike`select ref, receipt_id from cases where role = 'handling' and intake_member = 'gaoxin' and intake_case_id = 'GX-SCALE-0001'`;
    expect([...kept]).toEqual([{ ref: receipt!.caseRef, receipt_id: receipt!.receiptId }]);
    expect([...await sql.xihaike`select status from idempotency_keys where iss = 'gaoxin' and key = 'scale-transfer-1'`]).toEqual([{ status: 202 }]);
  });

  it(`outbox: ${CASES} cases taken in and transferred through both gaoxin instances, both workers delivering at once, to both xihaike instances: each case once`, async () => {
    proxy.state.holdAfter = proxy.state.forwarded; // hold deliveries until both workers are full
    const taken = await takeInAndTransfer(0, CASES);
    await until(`${2 * WORKER_CONCURRENCY} deliveries in flight`, async () => proxy.state.held.length === 2 * WORKER_CONCURRENCY, 20_000);
    // More than one worker's cap in flight: both instances claimed, each its own messages (one attempt each).
    const inFlight = await sql.gaoxin`select attempts from outbox_messages where status = 'delivering'`;
    expect(inFlight.map((m) => m.attempts as number)).toEqual(Array<number>(2 * WORKER_CONCURRENCY).fill(1));
    proxy.release();
    await until(`all ${CASES} cases received`, async () => (await received()) === CASES, 30_000, 100);
    expect(await outboxStatuses()).toEqual({ delivered: CASES });
    expect((await sql.gaoxin`select max(attempts)::int as n from outbox_messages`)[0]!.n, 'no message sent twice').toBe(1);
    await expectEachCaseOnce(taken);
    expect({ fresh: proxy.state.fresh, replayed: proxy.state.replayed }).toEqual({ fresh: CASES, replayed: 0 });
  }, 60_000);

  it(`kill -9 of one gaoxin instance with deliveries in flight: the other takes its claims over when their lease ends, each of ${MORE_CASES} more cases once`, async () => {
    const before = { fresh: proxy.state.fresh, replayed: proxy.state.replayed };
    proxy.state.holdAfter = proxy.state.forwarded;
    const taken = await takeInAndTransfer(CASES, MORE_CASES);
    await until(`${2 * WORKER_CONCURRENCY} deliveries in flight`, async () => proxy.state.held.length === 2 * WORKER_CONCURRENCY, 20_000);
    await procs['gaoxin:a']!.stop(true);
    expect(await outboxStatuses()).toEqual({ delivered: CASES, delivering: 2 * WORKER_CONCURRENCY, pending: MORE_CASES - 2 * WORKER_CONCURRENCY });
    // The held requests reach xihaike: b hears its answers, a's are lost with it.
    proxy.release();
    await until(`all ${CASES + MORE_CASES} cases received`, async () => (await received()) === CASES + MORE_CASES, 30_000, 100);
    expect(await outboxStatuses()).toEqual({ delivered: CASES + MORE_CASES });
    const retried = await sql.gaoxin`select attempts from outbox_messages where attempts > 1`;
    expect(retried.map((m) => m.attempts as number), 'a\'s claims, taken over once each').toEqual(Array<number>(WORKER_CONCURRENCY).fill(2));
    const all = (await sql.gaoxin`select ref, intake_case_id from cases where role = 'intake'`).map((c) => ({ ref: c.ref as string, caseId: c.intake_case_id as string }));
    expect(all.filter((c) => taken.some((t) => t.ref === c.ref))).toHaveLength(MORE_CASES);
    await expectEachCaseOnce(all);
    // xihaike took each case in once; a's orphaned deliveries, sent again by b, were answered from the §5 record.
    expect({ fresh: proxy.state.fresh - before.fresh, replayed: proxy.state.replayed - before.replayed }).toEqual({ fresh: MORE_CASES, replayed: WORKER_CONCURRENCY });
  }, 60_000);
});
