import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { openDatabase } from '../../src/entry/node/database';
import { defaultEngine } from '../../src/federation/engine';
import { verifyChains } from '../../src/federation/evidence/chain';
import { storedSnapshots, verifySnapshots } from '../../src/federation/evidence/snapshots';
import type { AnchorKeys } from '../../src/federation/registry/verify';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { addClerk } from '../../src/services/clerks/add-clerk';
import { createTestAlliance, writeAllianceFiles } from '../support/alliance';
import { createProcessDatabase, dropDatabases } from '../support/db';
import { freePort } from '../support/http';
import { startGatewayProcess, type GatewayProcess } from '../support/process';
import { receiverProxy, until } from '../support/receiver-proxy';
import { seeded } from '../support/seeded';

// Three members in a ring, each the sender of one flow and the receiver of another: gaoxin -> xihaike ->
// chengdu-gx -> gaoxin. Cases are transferred, handling clerks accept and decide half of them (events
// back to the intake member), intake clerks withdraw the other half (events to the handling member).
// Meanwhile, at seeded moments: kill -9 the sender (gaoxin), then the receiver (xihaike), then the third
// (chengdu-gx), then all three at once; each is restarted. (tests/e2e/case-crash.test.ts already kills a
// pure sender with transfers held in flight; here every kill hits a member that is sending and receiving.)

const admin = process.env.DATABASE_URL;
const MEMBERS = ['gaoxin', 'xihaike', 'chengdu-gx'] as const;
type Member = (typeof MEMBERS)[number];
/** Who each member sends its cases to, and the item that takes them there. */
const RING: Record<Member, { to: Member; item: string }> = {
  gaoxin: { to: 'xihaike', item: 'KS-GJJ-003' },
  xihaike: { to: 'chengdu-gx', item: 'KS-GZ-001' },
  'chengdu-gx': { to: 'gaoxin', item: 'KS-SCZT-002' },
};
const PER_MEMBER = 30;
const SEED = 20261129;
/** Messages in the whole run: per case a transfer, then accepted + decided (even) or withdrawn (odd). */
const MESSAGES = MEMBERS.length * (PER_MEMBER + PER_MEMBER / 2 * 2 + PER_MEMBER / 2);


interface Flow { ref: string; from: Member; to: Member; decide: boolean }
type Json = Record<string, unknown>;

describe.skipIf(!admin)('kill -9 of any of three gateways mid-stream (real processes; needs PostgreSQL: DATABASE_URL)', () => {
  const random = seeded(SEED);
  const names: string[] = [];
  const procs: Partial<Record<Member, GatewayProcess>> = {};
  const ports = {} as Record<Member, number>;
  const envs = {} as Record<Member, Record<string, string>>;
  const sql = {} as Record<Member, postgres.Sql>;
  const proxies = {} as Record<Member, ReturnType<typeof receiverProxy>>;
  const tokens = {} as Record<`${Member}:${'intake' | 'handling'}`, string>;
  let dir: string | undefined;
  const urls = {} as Record<Member, string>;
  let anchors: AnchorKeys;

  beforeAll(async () => {
    const publicPorts = {} as Record<Member, number>;
    for (const id of MEMBERS) {
      [ports[id], publicPorts[id]] = [await freePort(), await freePort()];
      // Each member's public URL is a proxy that counts what it answered afresh and from its §5 record.
      proxies[id] = receiverProxy(() => `http://127.0.0.1:${ports[id]}`);
      await new Promise<void>((r) => proxies[id].server.listen(publicPorts[id], '127.0.0.1', r));
    }
    const alliance = await createTestAlliance(MEMBERS.map((id) => ({ id, endpoint: `http://127.0.0.1:${publicPorts[id]}` })));
    for (const id of MEMBERS) alliance.members.get(RING[id].to)!.items = [{ code: RING[id].item, modes: ['proxy_intake'] }];
    const files = writeAllianceFiles(alliance, await alliance.sign(1, Math.floor(Date.now() / 1000)));
    anchors = alliance.anchors;
    dir = files.dir;
    const partnersDir = join(files.dir, 'partners'); // none: the clerks handle, only the federation is exercised
    mkdirSync(partnersDir);
    await Promise.all(MEMBERS.map(async (id) => {
      const { name, url } = await createProcessDatabase(admin!, `hs_rel_any_${id.replace('-', '_')}`);
      names.push(name);
      urls[id] = url;
      const database = await openDatabase({ databaseUrl: url, pgliteDir: '', maxConnections: 1 });
      for (const role of ['intake', 'handling'] as const) {
        tokens[`${id}:${role}`] = (await addClerk({ ctx: { db: database.db, clock: systemClock, ids: randomIds }, input: { name: `${id} ${role}`, window: 'kuayu-1', role, windows: null } })).token;
      }
      await database.close();
      sql[id] = postgres(url, { max: 4, onnotice: () => {} });
      envs[id] = {
        HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: files.registry, HANDSHAKE_PARTNERS_DIR: partnersDir,
        HANDSHAKE_MEMBER_ID: id, HANDSHAKE_PUBLIC_URL: `http://127.0.0.1:${publicPorts[id]}`, HANDSHAKE_SIGNING_KEY: files.keyFile(id),
        DATABASE_URL: url, HANDSHAKE_DATA_DIR: join(files.dir, id), HANDSHAKE_DATA_KEY: randomBytes(32).toString('hex'),
        // Seconds, not minutes: a dead worker's claims lapse after 2 s, retries come within 1 s.
        HANDSHAKE_OUTBOX_BASE_MS: '100', HANDSHAKE_OUTBOX_CAP_MS: '1000', HANDSHAKE_OUTBOX_LEASE_MS: '2000', HANDSHAKE_OUTBOX_COOLDOWN_MS: '1000',
        // A killed instance's §5 claims are taken over once it has been silent 1.5 s (production: 5 s beats, 30 s).
        HANDSHAKE_HEARTBEAT_MS: '300', HANDSHAKE_INSTANCE_DEAD_MS: '1500',
      };
      procs[id] = await startGatewayProcess(envs[id], ports[id]);
    }));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(MEMBERS.map((id) => procs[id]?.stop(true)));
    for (const p of Object.values(proxies)) {
      p.server.closeAllConnections();
      await new Promise((r) => p.server.close(r));
    }
    await Promise.all(Object.values(sql).map((s) => s.end({ timeout: 1 })));
    if (admin) await dropDatabases(admin, names);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  async function api(id: Member, role: 'intake' | 'handling', method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Json }> {
    const headers: Record<string, string> = { authorization: `Bearer ${tokens[`${id}:${role}`]}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`http://127.0.0.1:${ports[id]}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Json };
  }

  /** A case taken in at `from`'s window with every material its completeness still lacks. */
  async function takeIn(from: Member, n: number): Promise<string> {
    const created = await api(from, 'intake', 'POST', '/api/v1/cases', {
      itemCode: RING[from].item, mode: 'proxy_intake',
      applicant: { kind: 'person', name: `申请人${n}`, idType: 'resident_id', idNumber: `37021119920${MEMBERS.indexOf(from)}0${String(n).padStart(5, '0')}`, phone: '13912345678' },
      identityCheck: { method: 'id_card_reader', result: 'passed' }, delivery: { method: 'window' }, consent: { dataSharing: true, at: new Date().toISOString() },
    });
    if (created.status !== 201) throw new Error(`create case ${n} at ${from}: ${created.status} ${JSON.stringify(created.json)}`);
    const ref = created.json.ref as string;
    const missing = (await api(from, 'intake', 'GET', `/api/v1/cases/${ref}/completeness`)).json.missing as { id: string; name: string }[];
    for (const m of missing) {
      const content = Buffer.concat([Buffer.from(`%PDF-1.7 ${m.id} ${n}\n`), randomBytes(512)]);
      const up = await api(from, 'intake', 'POST', `/api/v1/cases/${ref}/materials`, { requirement: m.id, name: m.name, mediaType: 'application/pdf', content: content.toString('base64') });
      if (up.status !== 201) throw new Error(`material ${m.id} of ${ref}: ${up.status}`);
    }
    return ref;
  }

  /**
   * The clerks' next step for a flow, from what the gateways say now (a call cut by a kill is asked
   * again next pass): transfer; then the handling clerk accepts and decides, or the intake clerk
   * withdraws. True when the flow's last event is recorded where it was made.
   */
  async function step(f: Flow): Promise<boolean> {
    try {
      const mine = (await api(f.from, 'intake', 'GET', `/api/v1/cases/${f.ref}`)).json;
      if (mine.state === 'intake') await api(f.from, 'intake', 'POST', `/api/v1/cases/${f.ref}/transfer`);
      if (mine.state !== 'received' && mine.state !== 'accepted' && mine.state !== 'decided' && mine.state !== 'withdrawn') return false;
      if (!f.decide) {
        if (mine.state === 'received') await api(f.from, 'intake', 'POST', `/api/v1/cases/${f.ref}/events`, { type: 'withdrawn', note: '申请人撤回申请' });
        return mine.state === 'withdrawn';
      }
      const remote = mine.remoteRef as string;
      const theirs = (await api(f.to, 'handling', 'GET', `/api/v1/cases/${remote}/timeline`)).json;
      if (theirs.status === 'received') await api(f.to, 'handling', 'POST', `/api/v1/cases/${remote}/events`, { type: 'accepted', note: '材料齐全' });
      if (theirs.status === 'accepted') await api(f.to, 'handling', 'POST', `/api/v1/cases/${remote}/events`, { type: 'decided', data: { outcome: 'approved' } });
      return theirs.status === 'decided';
    } catch {
      return false; // a gateway is down: the next pass asks again
    }
  }

  /** Clerks working through the flows in bursts of eight (then a pause), until every flow is done. */
  async function work(flows: Flow[], deadline: number): Promise<void> {
    let open = flows;
    while (open.length) {
      if (Date.now() > deadline) throw new Error(`clerks still working on ${open.length} flows`);
      const dead = (await Promise.all(MEMBERS.map((id) => sql[id]`select ${id} as member, kind, target_member, last_status, last_error from outbox_messages where status = 'dead'`))).flat();
      if (dead.length) throw new Error(`dead outbox messages: ${JSON.stringify(dead)}`);
      const next: Flow[] = [];
      for (let i = 0; i < open.length; i += 8) {
        const batch = open.slice(i, i + 8);
        const done = await Promise.all(batch.map(step));
        batch.forEach((f, j) => { if (!done[j]) next.push(f); });
        await new Promise((r) => setTimeout(r, 200));
      }
      open = next;
    }
  }

  const count = async (query: (s: postgres.Sql) => Promise<postgres.Row[]>) => (await Promise.all(MEMBERS.map((id) => query(sql[id])))).reduce((n, [r]) => n + (r!.n as number), 0);
  const delivered = () => count((s) => s`select count(*)::int as n from outbox_messages where status = 'delivered'`);
  /** What is on its way to or from `id` when it dies: its own undelivered messages and the others' to it. */
  const inFlight = async (id: Member) => count((s) => s === sql[id]
    ? s`select count(*)::int as n from outbox_messages where status in ('pending', 'delivering')`
    : s`select count(*)::int as n from outbox_messages where status in ('pending', 'delivering') and target_member = ${id}`);

  /**
   * A receiver killed between claiming an Idempotency-Key and recording its answer leaves the claim "in
   * progress", naming its instance. Retries get 429 until that instance has been silent for
   * HANDSHAKE_INSTANCE_DEAD_MS; then one takes it over (src/federation/idempotency.ts). Nothing is aged by
   * hand.
   */

  it(`${PER_MEMBER * 3} cases and ${MESSAGES} messages in a ring across kill -9 of the sender, the receiver, the third, then all: each once on each side`, async () => {
    const started = Date.now();
    const flows: Flow[] = [];
    await Promise.all(MEMBERS.map(async (from) => {
      for (let n = 0; n < PER_MEMBER; n++) flows.push({ ref: await takeIn(from, n), from, to: RING[from].to, decide: n % 2 === 0 });
    }));

    const clerks = work(flows, Date.now() + 80_000);
    clerks.catch(() => {}); // awaited below; a kill must not leave it unhandled meanwhile
    const kills: { victims: Member[]; after: number; inFlight: number; downMs: number }[] = [];
    const plan: [Member[], number][] = [[['gaoxin'], 0.15], [['xihaike'], 0.35], [['chengdu-gx'], 0.55], [[...MEMBERS], 0.75]];
    for (const [victims, at] of plan) {
      const threshold = Math.floor(MESSAGES * (at + random() * 0.1));
      await until(`${threshold} messages delivered`, async () => (await delivered()) >= threshold, 60_000, 100);
      await new Promise((r) => setTimeout(r, Math.floor(random() * 300)));
      // Then the first moment something is on its way to or from a victim (a quiet moment proves little).
      let pending = 0;
      await until('a message in flight', async () => (pending = (await Promise.all(victims.map(inFlight))).reduce((a, b) => a + b, 0)) > 0, 5_000, 10).catch(() => {});
      await Promise.all(victims.map((id) => procs[id]!.stop(true)));
      const downMs = 200 + Math.floor(random() * 800);
      kills.push({ victims, after: await delivered(), inFlight: pending, downMs });
      await new Promise((r) => setTimeout(r, downMs));
      await Promise.all(victims.map(async (id) => { procs[id] = await startGatewayProcess(envs[id], ports[id]); }));
    }
    await clerks;
    await until('every outbox drained', async () => (await count((s) => s`select count(*)::int as n from outbox_messages where status <> 'delivered'`)) === 0 && (await delivered()) === MESSAGES, 30_000, 100);
    expect(kills.reduce((n, k) => n + k.inFlight, 0)).toBeGreaterThan(0);

    for (const from of MEMBERS) {
      const to = RING[from].to;
      const mine = flows.filter((f) => f.from === from);
      const label = `${from} -> ${to}`;
      // The sender's outbox: every message delivered once, none pending, none dead.
      const sent = await sql[from]`select kind, case_ref, idempotency_key, status, target_member from outbox_messages`;
      expect(sent.filter((m) => m.kind === 'case_transfer').map((m) => m.case_ref as string).sort(), label).toEqual(mine.map((f) => f.ref).sort());
      expect(sent.filter((m) => m.kind === 'case_event' && m.target_member === to).map((m) => m.case_ref as string).sort(), label).toEqual(mine.filter((f) => !f.decide).map((f) => f.ref).sort());
      expect(new Set(sent.map((m) => m.status as string)), label).toEqual(new Set(['delivered']));
      const answered = await sql[to]`select count(*)::int as n from outbox_messages where kind = 'case_event' and target_member = ${from}`;
      expect(answered[0]!.n, `${to} -> ${from} (accepted, decided)`).toBe(PER_MEMBER);
      // The receiver processed each of them once: one §5 record per key, nothing else from this sender.
      const keys = await sql[to]`select key, status from idempotency_keys where iss = ${from}`;
      expect(keys.map((k) => k.key as string).sort(), label).toEqual(sent.filter((m) => m.target_member === to).map((m) => m.idempotency_key as string).sort());
      expect(keys.every((k) => (k.status as number) >= 200 && (k.status as number) < 300), label).toBe(true);

      // Each case exactly once on each side, linked both ways, in the same final state.
      const intake = await sql[from]`select ref, intake_case_id, state, remote_ref from cases where role = 'intake'`;
      const handling = await sql[to]`select ref, intake_case_id, state from cases where role = 'handling' and intake_member = ${from}`;
      expect([intake.length, handling.length, new Set(handling.map((h) => h.intake_case_id as string)).size], label).toEqual([PER_MEMBER, PER_MEMBER, PER_MEMBER]);
      const byId = new Map(handling.map((h) => [h.intake_case_id as string, h]));
      for (const c of intake) {
        const h = byId.get(c.intake_case_id as string);
        const expected = mine.find((f) => f.ref === c.ref)!.decide ? 'decided' : 'withdrawn';
        expect({ state: c.state, remote: c.remote_ref, handlingState: h?.state }, `${label} ${c.ref as string}`).toEqual({ state: expected, remote: h?.ref, handlingState: expected });
      }

      // Every event exactly once on both timelines, the same eventId on both sides.
      const a = await sql[from]`select c.remote_ref as ref, e.event_id, e.type from case_events e join cases c on c.ref = e.case_ref where c.role = 'intake'`;
      const b = await sql[to]`select e.case_ref as ref, e.event_id, e.type from case_events e join cases c on c.ref = e.case_ref where c.role = 'handling' and c.intake_member = ${from}`;
      const lines = (rows: postgres.Row[]) => rows.map((e) => `${e.ref as string}/${e.event_id as string}/${e.type as string}`).sort();
      expect(lines(b), label).toEqual(lines(a));
      const types = a.map((e) => e.type as string);
      expect([types.filter((t) => t === 'accepted').length, types.filter((t) => t === 'decided').length, types.filter((t) => t === 'withdrawn').length], label).toEqual([PER_MEMBER / 2, PER_MEMBER / 2, PER_MEMBER / 2]);
    }

    // The evidence: every process start appended to a chain of its own; a kill -9 in the middle of an
    // append leaves each chain whole (what is kept links, what is not was never answered).
    for (const id of MEMBERS) {
      const database = await openDatabase({ databaseUrl: urls[id], pgliteDir: '', migrate: false, maxConnections: 1 });
      try {
        const keys = await verifySnapshots(await storedSnapshots(database.db), anchors, Math.floor(Date.now() / 1000));
        const report = await verifyChains(database.db, { keys, engine: defaultEngine, self: id });
        const [{ n }] = await sql[id]`select count(*)::int as n from evidence_records` as [{ n: number }];
        expect({ firstBad: report.firstBad, verified: report.verified }, id).toEqual({ firstBad: null, verified: n });
        expect(report.chains.length, `${id}: one chain per start that kept anything`).toBeGreaterThanOrEqual(2);
        expect(report.chains.every((c) => c.chain !== ''), `${id}: processes never use the shared chain`).toBe(true);
      } finally {
        await database.close();
      }
    }
    const answers = MEMBERS.map((id) => `${id} ${proxies[id].state.fresh} fresh/${proxies[id].state.replayed} replayed`).join(', ');
    console.info(`[kill-any-gateway] ${(Date.now() - started) / 1000} s; kills: ${kills.map((k) => `${k.victims.join('+')} after ${k.after} deliveries (${k.inFlight} in flight, down ${k.downMs} ms)`).join('; ')}; answers: ${answers}`);
  }, 120_000);

  // The window the run above may or may not hit, made to happen: xihaike has kept the case (committed) and
  // is killed before recording its answer under the Idempotency-Key. Locks in its database hold it there.
  it('a receiver killed after keeping a transferred case, before recording its answer: the retry still gets a receipt', async () => {
    const ref = await takeIn('gaoxin', PER_MEMBER);
    const [{ intake_case_id: caseId }] = await sql.gaoxin`select intake_case_id from cases where ref = ${ref}` as [{ intake_case_id: string }];
    const [cases, claim] = [await sql.xihaike.reserve(), await sql.xihaike.reserve()];
    let key = '';
    let claimant = '';
    try {
      await cases`begin`;
      await cases`lock table cases in share mode`; // the transfer's insert waits here
      expect((await api('gaoxin', 'intake', 'POST', `/api/v1/cases/${ref}/transfer`)).status).toBe(202);
      await until('gaoxin is sending the transfer', async () => (key = ((await sql.gaoxin`select idempotency_key from outbox_messages where case_ref = ${ref}`)[0]?.idempotency_key as string | undefined) ?? '') !== '');
      await until('xihaike claimed its key', async () => (await sql.xihaike`select 1 from idempotency_keys where iss = 'gaoxin' and key = ${key} and status is null`).length === 1);
      await claim`begin`;
      await claim`select key from idempotency_keys where iss = 'gaoxin' and key = ${key} for update`; // recording the answer waits here
      await cases`commit`;
      await until('xihaike kept the case', async () => (await sql.xihaike`select 1 from cases where role = 'handling' and intake_member = 'gaoxin' and intake_case_id = ${caseId}`).length === 1);
      await new Promise((r) => setTimeout(r, 200));
      await procs.xihaike!.stop(true);
      // PostgreSQL notices a dead client only when it next reads its socket: the statement waiting on our
      // lock would still run and record the answer. A real crash loses it, so does this.
      const waiting = await sql.xihaike`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
      expect(waiting.length).toBeGreaterThan(0);
      await claim`rollback`;
    } finally {
      cases.release();
      claim.release();
    }
    // The claim the killed process left in progress, naming it; after the restart a retry takes it over.
    const [left] = await sql.xihaike`select status, claimed_by from idempotency_keys where iss = 'gaoxin' and key = ${key}`;
    expect(left).toMatchObject({ status: null, claimed_by: expect.stringMatching(/^gw_/) });
    claimant = left!.claimed_by as string;
    procs.xihaike = await startGatewayProcess(envs.xihaike, ports.xihaike);
    await until('the transfer settled', async () => ['delivered', 'dead'].includes((await sql.gaoxin`select status from outbox_messages where case_ref = ${ref}`)[0]!.status as string), 20_000, 100);

    const [answered] = await sql.xihaike`select status, claimed_by from idempotency_keys where iss = 'gaoxin' and key = ${key}`;
    expect(answered!.status, 'its answer recorded').toBeGreaterThanOrEqual(200);
    expect(answered!.claimed_by, 'taken over by the restarted instance').not.toBe(claimant);
    const [message] = await sql.gaoxin`select status, last_status, last_error, attempts from outbox_messages where case_ref = ${ref}`;
    const [intake] = await sql.gaoxin`select state, remote_ref from cases where ref = ${ref}`;
    const handling = await sql.xihaike`select ref from cases where role = 'handling' and intake_member = 'gaoxin' and intake_case_id = ${caseId}`;
    expect(handling).toHaveLength(1);
    expect({ message: message!.status, error: message!.last_error, intake: intake!.state, remoteRef: intake!.remote_ref })
      .toEqual({ message: 'delivered', error: null, intake: 'received', remoteRef: handling[0]!.ref });
  }, 60_000);
});
