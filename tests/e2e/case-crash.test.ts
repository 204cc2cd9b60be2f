import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { openDatabase } from '../../src/entry/node/database';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { addClerk } from '../../src/services/clerks/add-clerk';
import { createTestAlliance, writeAllianceFiles } from '../support/alliance';
import { freePort } from '../support/http';
import { createProcessDatabase } from '../support/db';
import { receiverProxy, until } from '../support/receiver-proxy';
import { startGatewayProcess, type GatewayProcess } from '../support/process';

const admin = process.env.DATABASE_URL;
const ITEM = 'KS-GJJ-003';
const REQUIRED = ['id-card', 'purchase-contract', 'invoice', 'marriage-certificate', 'bank-card'];
/** Outbox deliveries in flight at once in the Node worker (src/entry/node/outbox-worker.ts). */
const WORKER_CONCURRENCY = 8;



/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A case taken in at gaoxin's window: its ref, its case number and the sha256 of each material, in order. */
interface TakenCase { ref: string; caseId: string; materials: string[] }

/**
 * Two member gateways as their own processes (intake gaoxin, handling xihaike behind the proxy), each on
 * its own fresh PostgreSQL database, the registry listing the item (proxy_intake) for xihaike, and an
 * intake clerk at gaoxin with a bearer token.
 */
async function startPair(tag: string) {
  const names: string[] = [];
  const ports = { gaoxin: await freePort(), xihaike: await freePort(), proxy: await freePort() };
  const proxy = receiverProxy(() => `http://127.0.0.1:${ports.xihaike}`);
  await new Promise<void>((r) => proxy.server.listen(ports.proxy, '127.0.0.1', r));
  const alliance = await createTestAlliance([{ id: 'gaoxin', endpoint: `http://127.0.0.1:${ports.gaoxin}` }, { id: 'xihaike', endpoint: `http://127.0.0.1:${ports.proxy}` }]);
  alliance.members.get('xihaike')!.items = [{ code: ITEM, modes: ['proxy_intake'] }];
  const files = writeAllianceFiles(alliance, await alliance.sign(1, Math.floor(Date.now() / 1000)));
  // No partner files: no back office on either side, so only the federation hop is exercised.
  const partnersDir = join(files.dir, 'partners');
  mkdirSync(partnersDir);

  async function createDatabase(id: string): Promise<string> {
    const { name, url } = await createProcessDatabase(admin!, `hs_e2e_case_${tag}_${id}`);
    names.push(name);
    return url;
  }

  const urls = { gaoxin: await createDatabase('gaoxin'), xihaike: await createDatabase('xihaike') };
  const env = (id: 'gaoxin' | 'xihaike', publicPort: number): Record<string, string> => ({
    HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: files.registry, HANDSHAKE_PARTNERS_DIR: partnersDir,
    HANDSHAKE_MEMBER_ID: id, HANDSHAKE_PUBLIC_URL: `http://127.0.0.1:${publicPort}`, HANDSHAKE_SIGNING_KEY: files.keyFile(id),
    DATABASE_URL: urls[id], HANDSHAKE_DATA_DIR: `${files.dir}/${id}`, HANDSHAKE_DATA_KEY: randomBytes(32).toString('hex'),
    // Small numbers so the test runs in seconds: a dead sender's claims lapse after 2 s, retries come within 1 s.
    HANDSHAKE_OUTBOX_BASE_MS: '100', HANDSHAKE_OUTBOX_CAP_MS: '1000', HANDSHAKE_OUTBOX_LEASE_MS: '2000', HANDSHAKE_OUTBOX_COOLDOWN_MS: '1000',
  });
  const envs = { gaoxin: env('gaoxin', ports.gaoxin), xihaike: env('xihaike', ports.proxy) };
  const sql = { gaoxin: postgres(urls.gaoxin, { max: 2, onnotice: () => {} }), xihaike: postgres(urls.xihaike, { max: 2, onnotice: () => {} }) };
  const procs: { gaoxin?: GatewayProcess; xihaike?: GatewayProcess } = {};
  [procs.gaoxin, procs.xihaike] = await Promise.all([startGatewayProcess(envs.gaoxin, ports.gaoxin), startGatewayProcess(envs.xihaike, ports.xihaike)]);

  // The gateway has migrated its database: the clerk goes straight into it, as `handshake clerk add` would.
  const clerkDb = await openDatabase({ databaseUrl: urls.gaoxin, pgliteDir: '', migrate: false, maxConnections: 1 });
  const { token } = await addClerk({ ctx: { db: clerkDb.db, clock: systemClock, ids: randomIds }, input: { name: '王五', window: 'kuayu-1', role: 'intake', windows: null } });
  await clerkDb.close();

  async function api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`http://127.0.0.1:${ports.gaoxin}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  /** Case numbers are max + 1 with a bounded retry on collision: one clerk takes in one case at a time. */
  let numbering = Promise.resolve();
  async function takeIn(n: number): Promise<TakenCase> {
    const turn = numbering.then(() => api('POST', '/api/v1/cases', {
      itemCode: ITEM, mode: 'proxy_intake',
      applicant: { kind: 'person', name: `申请人${n}`, idType: 'resident_id', idNumber: `3702111992020${String(n).padStart(5, '0')}`, phone: '13912345678' },
      identityCheck: { method: 'id_card_reader', result: 'passed' },
      delivery: { method: 'window' }, consent: { dataSharing: true, at: new Date().toISOString() },
    }));
    numbering = turn.then(() => undefined, () => undefined);
    const created = await turn;
    if (created.status !== 201) throw new Error(`create case ${n}: ${created.status} ${JSON.stringify(created.json)}`);
    const ref = created.json.ref as string;
    const materials: string[] = [];
    for (const requirement of REQUIRED) {
      const content = Buffer.concat([Buffer.from(`%PDF-1.7 ${requirement} ${n}\n`), randomBytes(1024 + Math.floor(Math.random() * 2048))]);
      const up = await api('POST', `/api/v1/cases/${ref}/materials`, { requirement, name: requirement, mediaType: 'application/pdf', content: content.toString('base64') });
      if (up.status !== 201 || up.json.sha256 !== sha256(content)) throw new Error(`material ${requirement} of ${ref}: ${up.status} ${JSON.stringify(up.json)}`);
      materials.push(sha256(content));
    }
    return { ref, caseId: created.json.caseId as string, materials };
  }

  async function transfer(c: TakenCase): Promise<void> {
    const t = await api('POST', `/api/v1/cases/${c.ref}/transfer`);
    if (t.status !== 202 || t.json.to !== 'xihaike') throw new Error(`transfer ${c.ref}: ${t.status} ${JSON.stringify(t.json)}`);
  }

  const outboxStatuses = async () => Object.fromEntries((await sql.gaoxin`select status, count(*)::int as n from outbox_messages group by status`).map((r) => [r.status as string, r.n as number]));
  const intakeStates = async () => Object.fromEntries((await sql.gaoxin`select state, count(*)::int as n from cases where role = 'intake' group by state`).map((r) => [r.state as string, r.n as number]));

  /**
   * Everything the two databases say once every case is delivered: xihaike holds exactly one handling
   * case per intake case, materials byte for byte (sha256 over the stored content), and gaoxin keeps
   * exactly xihaike's receipt on each intake case; every outbox message delivered, each key seen once.
   */
  async function expectDeliveredOnce(taken: TakenCase[]): Promise<void> {
    const handling = await sql.xihaike`select ref, intake_member, intake_case_id, receipt_id, state from cases where role = 'handling'`;
    expect(handling).toHaveLength(taken.length);
    expect(handling.map((h) => h.intake_case_id as string).sort()).toEqual(taken.map((c) => c.caseId).sort());
    expect(handling.every((h) => h.intake_member === 'gaoxin' && h.state === 'received')).toBe(true);

    const stored = await sql.xihaike`select c.intake_case_id, m.position, m.sha256, encode(sha256(m.content), 'hex') as actual
      from case_materials m join cases c on c.ref = m.case_ref where c.role = 'handling' order by c.intake_case_id, m.position`;
    const byCase = new Map<string, { declared: string[]; actual: string[] }>();
    for (const m of stored) {
      const e = byCase.get(m.intake_case_id as string) ?? { declared: [], actual: [] };
      e.declared.push(m.sha256 as string);
      e.actual.push(m.actual as string);
      byCase.set(m.intake_case_id as string, e);
    }
    for (const c of taken) expect(byCase.get(c.caseId), c.caseId).toEqual({ declared: c.materials, actual: c.materials });

    const intake = await sql.gaoxin`select ref, intake_case_id, state, remote_ref, receipt_id from cases where role = 'intake'`;
    expect(intake).toHaveLength(taken.length);
    const receiptOf = new Map(handling.map((h) => [h.intake_case_id as string, { remote_ref: h.ref as string, receipt_id: h.receipt_id as string }]));
    for (const c of intake) expect({ state: c.state, remote_ref: c.remote_ref, receipt_id: c.receipt_id }, c.intake_case_id as string).toEqual({ state: 'received', ...receiptOf.get(c.intake_case_id as string) });
    expect(new Set(intake.map((c) => c.receipt_id as string)).size).toBe(taken.length);

    const messages = await sql.gaoxin`select case_ref, idempotency_key, status, response_status from outbox_messages where kind = 'case_transfer'`;
    expect(messages).toHaveLength(taken.length);
    expect(messages.every((m) => m.status === 'delivered' && m.response_status === 202)).toBe(true);
    expect(new Set(messages.map((m) => m.case_ref as string))).toEqual(new Set(taken.map((c) => c.ref)));
    const keys = await sql.xihaike`select key, status from idempotency_keys where iss = 'gaoxin'`;
    expect(keys.map((k) => k.key as string).sort()).toEqual(messages.map((m) => m.idempotency_key as string).sort());
    expect(keys.every((k) => k.status === 202)).toBe(true);
  }

  return {
    ports, proxy, envs, procs, sql, api, takeIn, transfer, outboxStatuses, intakeStates, expectDeliveredOnce,
    async stop() {
      await Promise.all([procs.gaoxin?.stop(true), procs.xihaike?.stop(true)]);
      proxy.release();
      proxy.server.closeAllConnections();
      await new Promise((r) => proxy.server.close(r));
      await Promise.all([sql.gaoxin.end({ timeout: 1 }), sql.xihaike.end({ timeout: 1 })]);
      const root = postgres(admin!, { max: 1, onnotice: () => {} });
      for (const name of names) await root.unsafe(`drop database if exists ${name} with (force)`);
      await root.end();
    },
  };
}

type Pair = Awaited<ReturnType<typeof startPair>>;

describe.skipIf(!admin)('case transfers across a kill -9 of the intake gateway (real processes; needs PostgreSQL: DATABASE_URL)', () => {
  let pair: Pair;
  beforeAll(async () => { pair = await startPair('crash'); }, 60_000);
  afterAll(async () => { await pair?.stop(); }, 30_000);

  it('kill -9 the sending gateway while 200 cases are in delivery; after restart every case is delivered exactly once', async () => {
    const { proxy, procs } = pair;
    const taken: TakenCase[] = [];
    await eachLimit(Array.from({ length: 200 }, (_, i) => i), 8, async (n) => { taken.push(await pair.takeIn(n)); });
    expect(await pair.intakeStates()).toEqual({ intake: 200 });

    // The first 60 transfers go through; then gaoxin's deliveries stay in flight, unanswered, until it is killed.
    proxy.state.holdAfter = 60;
    await eachLimit(taken, 8, (c) => pair.transfer(c));
    await until('60 delivered and gaoxin stuck with transfers in flight', async () => (await pair.outboxStatuses()).delivered === 60 && proxy.state.held.length === WORKER_CONCURRENCY);
    await procs.gaoxin!.stop(true);
    expect(await pair.outboxStatuses()).toEqual({ delivered: 60, delivering: WORKER_CONCURRENCY, pending: 200 - 60 - WORKER_CONCURRENCY });
    expect(await pair.intakeStates()).toEqual({ received: 60, transferring: 140 });

    // The transfers gaoxin sent before it died still reach xihaike, which takes the cases in; gaoxin never hears.
    const orphaned = proxy.state.held.length;
    proxy.release();
    await until('xihaike answered the orphaned transfers', async () => proxy.state.fresh === 60 + orphaned);

    procs.gaoxin = await startGatewayProcess(pair.envs.gaoxin, pair.ports.gaoxin);
    await until('every intake case received', async () => (await pair.intakeStates()).received === 200, 60_000);
    expect(await pair.outboxStatuses()).toEqual({ delivered: 200 });

    // What the clerk sees, through the API of the restarted gateway.
    await eachLimit(taken, 8, async (c) => {
      const view = await pair.api('GET', `/api/v1/cases/${c.ref}`);
      expect(view.status).toBe(200);
      expect(view.json).toMatchObject({ state: 'received', handlingMember: 'xihaike', remoteRef: expect.stringMatching(/^cs_/), receiptId: expect.stringMatching(/^rc_/) });
    });
    await pair.expectDeliveredOnce(taken);
    // Each case taken in once by xihaike: the orphaned transfers were retried and answered from its record.
    expect(proxy.state.fresh).toBe(200);
    expect(proxy.state.replayed).toBe(orphaned);
  }, 100_000);
});

describe.skipIf(!admin)('case transfers while the handling gateway is down (real processes; needs PostgreSQL: DATABASE_URL)', () => {
  let pair: Pair;
  beforeAll(async () => { pair = await startPair('down'); }, 60_000);
  afterAll(async () => { await pair?.stop(); }, 30_000);

  it('transfers stay pending and are retried while xihaike is down; once it is back all 50 are delivered, none twice', async () => {
    const { proxy, procs } = pair;
    const taken: TakenCase[] = [];
    await eachLimit(Array.from({ length: 50 }, (_, i) => i), 8, async (n) => { taken.push(await pair.takeIn(n)); });

    await procs.xihaike!.stop();
    await eachLimit(taken, 8, (c) => pair.transfer(c));
    // Past the circuit's threshold (5 failures) only its probes go, one per cooldown (1 s): wait for two of them.
    await until('gaoxin has tried, failed and retried', async () => {
      const [r] = await pair.sql.gaoxin`select coalesce(sum(attempts), 0)::int as tries, count(*) filter (where last_error like 'network:%')::int as failed
        from outbox_messages where status in ('pending', 'delivering')`;
      return r!.tries >= 10 && r!.failed >= 5;
    });
    expect(await pair.outboxStatuses()).toMatchObject({ pending: expect.any(Number) });
    const during = await pair.outboxStatuses();
    expect((during.pending ?? 0) + (during.delivering ?? 0)).toBe(50);
    expect(await pair.intakeStates()).toEqual({ transferring: 50 });
    expect(proxy.state.fresh).toBe(0);

    procs.xihaike = await startGatewayProcess(pair.envs.xihaike, pair.ports.xihaike);
    await until('every intake case received', async () => (await pair.intakeStates()).received === 50, 60_000);
    expect(await pair.outboxStatuses()).toEqual({ delivered: 50 });
    await pair.expectDeliveredOnce(taken);
    expect(proxy.state.fresh).toBe(50);
    expect(proxy.state.replayed).toBe(0);
  }, 90_000);
});
