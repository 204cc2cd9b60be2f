import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { openDatabase } from '../../src/entry/node/database';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { addClerk } from '../../src/services/clerks/add-clerk';
import { createTestAlliance, writeAllianceFiles } from '../support/alliance';
import { createProcessDatabase } from '../support/db';
import { freePort } from '../support/http';
import { startGatewayProcess, type GatewayProcess } from '../support/process';
import { receiverProxy, until } from '../support/receiver-proxy';
import { seeded } from '../support/seeded';

// The RECEIVER killed with -9 mid-stream, then both members at once. (tests/e2e/case-crash.test.ts and
// outbox-crash.test.ts cover the SENDER killed and the receiver merely down; this covers the receiver dying
// with transfers and events half-processed, and a crash of the whole pair.)

const admin = process.env.DATABASE_URL;
const ITEM = 'KS-GJJ-003';
const REQUIRED = ['id-card', 'purchase-contract', 'invoice', 'marriage-certificate', 'bank-card'];
const CASES = 60;
const SEED = 20261128;


type Id = 'gaoxin' | 'xihaike';

describe.skipIf(!admin)('the receiving gateway killed with -9 mid-stream, then both (real processes; needs PostgreSQL: DATABASE_URL)', () => {
  const random = seeded(SEED);
  const names: string[] = [];
  const procs: Partial<Record<Id, GatewayProcess>> = {};
  let ports: Record<Id | 'proxy', number>;
  let envs: Record<Id, Record<string, string>>;
  let sql: Record<Id, postgres.Sql>;
  let proxy: ReturnType<typeof receiverProxy>;
  let token: string;

  beforeAll(async () => {
    ports = { gaoxin: await freePort(), xihaike: await freePort(), proxy: await freePort() };
    proxy = receiverProxy(() => `http://127.0.0.1:${ports.xihaike}`);
    await new Promise<void>((r) => proxy.server.listen(ports.proxy, '127.0.0.1', r));
    const alliance = await createTestAlliance([{ id: 'gaoxin', endpoint: `http://127.0.0.1:${ports.gaoxin}` }, { id: 'xihaike', endpoint: `http://127.0.0.1:${ports.proxy}` }]);
    alliance.members.get('xihaike')!.items = [{ code: ITEM, modes: ['proxy_intake'] }];
    const files = writeAllianceFiles(alliance, await alliance.sign(1, Math.floor(Date.now() / 1000)));
    const partnersDir = join(files.dir, 'partners'); // none: no back office, only the federation hop
    mkdirSync(partnersDir);
    const urls = {} as Record<Id, string>;
    for (const id of ['gaoxin', 'xihaike'] as const) {
      const { name, url } = await createProcessDatabase(admin!, `hs_rel_kill_${id}`);
      names.push(name);
      urls[id] = url;
    }
    const env = (id: Id, publicPort: number): Record<string, string> => ({
      HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: files.registry, HANDSHAKE_PARTNERS_DIR: partnersDir,
      HANDSHAKE_MEMBER_ID: id, HANDSHAKE_PUBLIC_URL: `http://127.0.0.1:${publicPort}`, HANDSHAKE_SIGNING_KEY: files.keyFile(id),
      DATABASE_URL: urls[id], HANDSHAKE_DATA_DIR: `${files.dir}/${id}`, HANDSHAKE_DATA_KEY: randomBytes(32).toString('hex'),
      HANDSHAKE_OUTBOX_BASE_MS: '100', HANDSHAKE_OUTBOX_CAP_MS: '1000', HANDSHAKE_OUTBOX_LEASE_MS: '2000', HANDSHAKE_OUTBOX_COOLDOWN_MS: '1000',
      // A killed instance's §5 claims are taken over once it has been silent 1.5 s (production: 5 s beats, 30 s).
      HANDSHAKE_HEARTBEAT_MS: '300', HANDSHAKE_INSTANCE_DEAD_MS: '1500',
    });
    envs = { gaoxin: env('gaoxin', ports.gaoxin), xihaike: env('xihaike', ports.proxy) };
    sql = { gaoxin: postgres(urls.gaoxin, { max: 2, onnotice: () => {} }), xihaike: postgres(urls.xihaike, { max: 2, onnotice: () => {} }) };
    [procs.gaoxin, procs.xihaike] = await Promise.all([startGatewayProcess(envs.gaoxin, ports.gaoxin), startGatewayProcess(envs.xihaike, ports.xihaike)]);
    const clerkDb = await openDatabase({ databaseUrl: urls.gaoxin, pgliteDir: '', migrate: false, maxConnections: 1 });
    ({ token } = await addClerk({ ctx: { db: clerkDb.db, clock: systemClock, ids: randomIds }, input: { name: '王五', window: 'kuayu-1', role: 'intake', windows: null } }));
    await clerkDb.close();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([procs.gaoxin?.stop(true), procs.xihaike?.stop(true)]);
    proxy?.release();
    proxy?.server.closeAllConnections();
    await new Promise((r) => proxy?.server.close(r));
    await Promise.all([sql?.gaoxin.end({ timeout: 1 }), sql?.xihaike.end({ timeout: 1 })]);
    const root = postgres(admin!, { max: 1, onnotice: () => {} });
    for (const name of names) await root.unsafe(`drop database if exists ${name} with (force)`);
    await root.end();
  }, 30_000);

  async function api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`http://127.0.0.1:${ports.gaoxin}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  async function takeIn(n: number): Promise<string> {
    const created = await api('POST', '/api/v1/cases', {
      itemCode: ITEM, mode: 'proxy_intake',
      applicant: { kind: 'person', name: `申请人${n}`, idType: 'resident_id', idNumber: `3702111992030${String(n).padStart(5, '0')}`, phone: '13912345678' },
      identityCheck: { method: 'id_card_reader', result: 'passed' }, delivery: { method: 'window' }, consent: { dataSharing: true, at: new Date().toISOString() },
    });
    if (created.status !== 201) throw new Error(`create case ${n}: ${created.status} ${JSON.stringify(created.json)}`);
    const ref = created.json.ref as string;
    for (const requirement of REQUIRED) {
      const content = Buffer.concat([Buffer.from(`%PDF-1.7 ${requirement} ${n}\n`), randomBytes(256)]);
      const up = await api('POST', `/api/v1/cases/${ref}/materials`, { requirement, name: requirement, mediaType: 'application/pdf', content: content.toString('base64') });
      if (up.status !== 201) throw new Error(`material ${requirement} of ${ref}: ${up.status}`);
    }
    return ref;
  }

  /**
   * The clerk's next step for a case, whatever happened before (a call cut by a crash is simply asked again):
   * transfer it while it is at the window, withdraw every other one once xihaike has it. True when nothing is left.
   */
  async function step(ref: string, withdraw: boolean): Promise<boolean> {
    try {
      const { json } = await api('GET', `/api/v1/cases/${ref}`);
      const done = json.state === 'withdrawn' || (json.state === 'received' && !withdraw);
      if (json.state === 'intake') await api('POST', `/api/v1/cases/${ref}/transfer`);
      else if (json.state === 'received' && withdraw) await api('POST', `/api/v1/cases/${ref}/events`, { type: 'withdrawn', note: '申请人撤回申请' });
      return done;
    } catch {
      // the gateway is down: the next pass asks again
    }
    return false;
  }

  /** Clerks working through the cases, two at a time, until `stop()` or every case is done. */
  function stream(refs: string[]) {
    let stopped = false;
    const running = (async () => {
      let open = refs.map((ref, i) => ({ ref, withdraw: i % 2 === 1 }));
      while (!stopped && open.length) {
        const next: typeof open = [];
        for (let i = 0; i < open.length && !stopped; i += 2) {
          const batch = open.slice(i, i + 2);
          const done = await Promise.all(batch.map((c) => step(c.ref, c.withdraw)));
          batch.forEach((c, j) => { if (!done[j]) next.push(c); });
        }
        open = stopped ? open : next;
        if (open.length) await new Promise((r) => setTimeout(r, 100));
      }
      return open.length;
    })();
    return { stop: async () => { stopped = true; await running; }, done: running };
  }

  const delivered = async () => ((await sql.gaoxin`select count(*)::int as n from outbox_messages where status = 'delivered'`)[0]!.n as number);
  const restart = (id: Id) => startGatewayProcess(envs[id], ports[id]).then((p) => { procs[id] = p; });

  it(`${CASES} cases and their withdrawals across a kill -9 of the receiver, then of both: each case and event once on each side`, async () => {
    const refs: string[] = [];
    for (let n = 0; n < CASES; n++) refs.push(await takeIn(n));
    const withdrawn = refs.filter((_, i) => i % 2 === 1);

    // 1. The receiver dies at a seeded moment of the stream, with transfers and events half-processed.
    const first = stream(refs);
    const killAt = 10 + Math.floor(random() * 20);
    await until(`${killAt} messages delivered`, async () => (await delivered()) >= killAt, 60_000);
    await procs.xihaike!.stop(true);
    await new Promise((r) => setTimeout(r, 300 + Math.floor(random() * 700)));
    await restart('xihaike');

    // 2. Both die at once, later in the stream; the clerks' calls in flight fail and are asked again after.
    const bothAt = killAt + 20 + Math.floor(random() * 20);
    await until(`${bothAt} messages delivered`, async () => (await delivered()) >= bothAt, 60_000);
    await Promise.all([procs.gaoxin!.stop(true), procs.xihaike!.stop(true)]);
    await first.stop();
    proxy.release();
    await Promise.all([restart('gaoxin'), restart('xihaike')]);
    const second = stream(refs);
    // A request the receiver had claimed (§5 Idempotency-Key) when it died keeps its claim "in progress",
    // naming the dead instance: the sender's retries get 429 until that instance has been silent for
    // HANDSHAKE_INSTANCE_DEAD_MS, then one takes the claim over. Nothing is aged by hand.
    await until('every case done by the clerks', async () => (await Promise.race([second.done, new Promise<null>((r) => setTimeout(() => r(null), 200))])) === 0, 60_000);
    await until('every message delivered', async () => {
      const [r] = await sql.gaoxin`select count(*) filter (where status <> 'delivered')::int as open, count(*)::int as n from outbox_messages`;
      return r!.open === 0 && r!.n === CASES + withdrawn.length;
    }, 60_000);

    // The sender's outbox: one transfer per case, one event per withdrawal, every one delivered (none pending, none dead).
    const messages = await sql.gaoxin`select kind, case_ref, idempotency_key, status from outbox_messages`;
    expect(messages.filter((m) => m.kind === 'case_transfer').map((m) => m.case_ref as string).sort()).toEqual([...refs].sort());
    expect(messages.filter((m) => m.kind === 'case_event').map((m) => m.case_ref as string).sort()).toEqual([...withdrawn].sort());
    expect(new Set(messages.map((m) => m.status as string))).toEqual(new Set(['delivered']));
    // The receiver processed each message once: one idempotency record per key, nothing else from gaoxin.
    const keys = await sql.xihaike`select key from idempotency_keys where iss = 'gaoxin'`;
    expect(keys.map((k) => k.key as string).sort()).toEqual(messages.map((m) => m.idempotency_key as string).sort());

    // Each case exactly once on each side, the same case on both, in the same state.
    const intake = await sql.gaoxin`select ref, intake_case_id, state, remote_ref from cases where role = 'intake'`;
    const handling = await sql.xihaike`select ref, intake_case_id, state from cases where role = 'handling'`;
    expect(intake).toHaveLength(CASES);
    expect(handling).toHaveLength(CASES);
    expect(new Set(handling.map((h) => h.intake_case_id as string)).size).toBe(CASES);
    const byId = new Map(handling.map((h) => [h.intake_case_id as string, h]));
    for (const c of intake) {
      const h = byId.get(c.intake_case_id as string);
      const expected = withdrawn.includes(c.ref as string) ? 'withdrawn' : 'received';
      expect({ state: c.state, remote: c.remote_ref, handlingState: h?.state }, c.ref as string).toEqual({ state: expected, remote: h?.ref, handlingState: expected });
    }

    // Every withdrawal once on each timeline, the same event on both sides.
    const sent = await sql.gaoxin`select c.remote_ref, e.event_id from case_events e join cases c on c.ref = e.case_ref where e.type = 'withdrawn'`;
    const got = await sql.xihaike`select case_ref, event_id from case_events where type = 'withdrawn'`;
    expect(sent).toHaveLength(withdrawn.length);
    expect(got.map((e) => `${e.case_ref}/${e.event_id}`).sort()).toEqual(sent.map((e) => `${e.remote_ref}/${e.event_id}`).sort());
    console.info(`[kill-receiver] killed the receiver after ${killAt} deliveries, both after ${bothAt}; receiver answered ${proxy.state.fresh} fresh, ${proxy.state.replayed} from its idempotency record`);
  }, 120_000);
});
