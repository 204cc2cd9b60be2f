import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startSandbox as startStandard } from '../../adapters/standard/sandbox';
import { startSandbox as startXihaike } from '../../adapters/xihaike/sandbox';
import { startSandbox as startSoap } from '../../adapters/soap-legacy/sandbox';
import { rowsOf } from '../../src/federation/replay-guard';
import { seedDefaultCatalog } from '../../src/entry/node/catalog';
import type { Gateway } from '../../src/gateway';
import { fixedClock, systemClock } from '../../src/lib/clock';
import { dbCatalogReader } from '../../src/services/catalog/catalog-in-force';
import { createBackOffice, type BackOffice } from '../../src/services/cases/backoffice/back-office';
import { caseCtxOf } from '../../src/services/cases/case-ctx';
import { partnerSchema } from '../../src/services/partners/schema';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { allianceFetch, caseRow, timelineOf, transferCase, type CaseView } from '../support/backoffice';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startFaultyProxy, type Fault, type FaultyProxy } from '../support/faulty-proxy';
import { startTestGateway } from '../support/gateway';
import { seeded } from '../support/seeded';

// Each partner back office (its sandbox) behind a proxy that times out, fails, resets, trickles and garbles
// its answers; the handling gateway's back-office worker, on a clock the test moves, must end with every
// case at the back office exactly once, every failure visible and retried later, none applied twice.

const ENDPOINTS = { gaoxin: 'https://gaoxin.example.test', xihaike: 'https://xihaike.example.test' } as const;
const ITEM = 'KS-GJJ-003';
const CASES = 20;
const TIMEOUT_MS = 600;
const RETRY = { baseMs: 1_000, capMs: 8_000 };
const POLL_MS = 60_000;
/** Every kind once at the start, so each run sees each fault; then seeded random faults. */
const OPENING: Fault[] = ['timeout', '503', 'reset', 'slow', 'malformed', 'html', 'drop', '500', '502'];
const RANDOM_FAULTS: Fault[] = ['timeout', '500', '503', 'reset', 'slow', 'malformed', 'html', 'drop'];

/** mulberry32: the same faults, in the same order, on every run. */

/** One partner API: its sandbox, the partner file pointing at `baseUrl`, and what the sandbox recorded. */
interface Partner {
  adapter: string;
  secrets: Record<string, string>;
  file(baseUrl: string): unknown;
  /** The sandbox's own records of our case (by its externalRef / wbbh): their partner ids. */
  recordsFor(ref: string): string[];
  /** Submissions of our case the sandbox received (first and repeats). */
  submitsFor(ref: string): number;
  /** The back office accepts the case (受理), as its clerks would; no callback: polls find it. */
  accept(partnerRef: string): Promise<void>;
  url: string;
  close(): Promise<void>;
}

const APPLICANT = { 'applicant.name': 'name', 'applicant.idType': 'idType', 'applicant.idNumber': 'idNumber', 'applicant.phone': 'phone' };

async function standardPartner(): Promise<Partner> {
  const secrets = { BO_API_KEY: 'bo-key', BO_CALLBACK_SECRET: 'bo-cb' };
  const s = await startStandard({ apiKey: secrets.BO_API_KEY, callbackSecret: secrets.BO_CALLBACK_SECRET, services: { 'STD-GJJ-003': ['name', 'idType', 'idNumber'] } });
  return {
    adapter: 'standard', secrets, url: s.url, close: s.close,
    file: (baseUrl) => ({ adapter: 'standard', auth: { apiKey: 'BO_API_KEY', callbackSecret: 'BO_CALLBACK_SECRET' }, options: {}, statusMap: {}, baseUrl, items: { [ITEM]: { serviceCode: 'STD-GJJ-003', fieldMap: APPLICANT } } }),
    recordsFor: (ref) => [...s.control.cases.values()].filter((k) => k.externalRef === ref).map((k) => k.id),
    submitsFor: (ref) => s.control.requests.filter((r) => r.method === 'POST' && r.path === '/api/cases' && (r.body as { externalRef?: string }).externalRef === ref).length,
    accept: async (id) => { await s.control.advance(id, 'accepted'); },
  };
}

async function xihaikePartner(): Promise<Partner> {
  const secrets = { XHK_CLIENT_ID: 'gw-client', XHK_CLIENT_SECRET: 'gw-secret', XHK_CALLBACK_SECRET: 'xhk-cb' };
  const service = 'XHK-37021100123';
  const s = await startXihaike({ clientId: secrets.XHK_CLIENT_ID, clientSecret: secrets.XHK_CLIENT_SECRET, services: [service] });
  const fieldMap = { serviceCode: 'sxbm', caseRef: 'wbbh', 'applicant.name': 'sqrxm', 'applicant.idType': 'zjlx', 'applicant.idNumber': 'sfzh', 'applicant.phone': 'lxdh', 'intake.receivedAt': 'sjsj', 'delivery.method': 'sdfs', 'delivery.address': 'yjdz' };
  return {
    adapter: 'xihaike', secrets, url: s.url, close: s.close,
    file: (baseUrl) => ({
      adapter: 'xihaike', auth: { clientId: 'XHK_CLIENT_ID', clientSecret: 'XHK_CLIENT_SECRET', callbackSecret: 'XHK_CALLBACK_SECRET' }, options: {}, baseUrl,
      statusMap: { 10: 'received', 20: 'accepted', 21: 'rejected', 30: 'supplement_requested', 40: 'approved', 41: 'denied', 50: 'result_issued', 60: 'shipped', 70: 'delivered', 90: 'withdrawn' },
      items: { [ITEM]: { serviceCode: service, fieldMap } },
    }),
    recordsFor: (ref) => [...s.control.cases.values()].filter((k) => k.wbbh === ref).map((k) => k.ajid),
    submitsFor: (ref) => s.control.requests.filter((r) => r.method === 'POST' && r.path === '/api/v2/cases' && (r.body as { wbbh?: string }).wbbh === ref).length,
    accept: async (id) => { await s.control.advance(id, 20); },
  };
}

async function soapPartner(): Promise<Partner> {
  const secrets = { WS_USER: 'sandbox', WS_PASSWORD: 'sandbox-secret' };
  const s = await startSoap({ requiredFields: ['applicantName', 'certNo'] });
  return {
    adapter: 'soap-legacy', secrets, url: s.url, close: s.close,
    file: (baseUrl) => ({
      adapter: 'soap-legacy', auth: { username: 'WS_USER', password: 'WS_PASSWORD' }, options: {}, baseUrl,
      statusMap: { SJ: 'received', SL: 'accepted', BYSL: 'rejected', BZ: 'supplement_requested', 'BJ-ZY': 'approved', 'BJ-BY': 'denied', CZ: 'result_issued', CH: 'withdrawn' },
      items: { [ITEM]: { serviceCode: '510109-GJJ-0003', fieldMap: { 'applicant.name': 'applicantName', 'applicant.idType': 'certType', 'applicant.idNumber': 'certNo', 'applicant.phone': 'mobile', 'delivery.method': 'deliveryType' } } },
    }),
    recordsFor: (ref) => [...s.control.cases.values()].filter((k) => k.externalRef === ref).map((k) => k.caseNo),
    submitsFor: (ref) => s.control.received.filter((r) => r.soapAction?.includes('SubmitCase') && r.xml.includes(`>${ref}<`)).length,
    accept: async (id) => { s.control.advance(id, 'SL'); },
  };
}

interface Attempt { at: number; action: string; result: string; row: CaseView }

describe.each([
  ['standard', standardPartner, 11],
  ['xihaike', xihaikePartner, 22],
  ['soap-legacy', soapPartner, 33],
] as const)('%s back office behind a faulty proxy', (_name, makePartner, seed) => {
  let alliance: TestAlliance;
  let partner: Partner;
  let proxy: FaultyProxy;
  const dbs: TestDatabase[] = [];
  const gw = {} as Record<'gaoxin' | 'xihaike', Gateway>;
  const clock = fixedClock(Date.now());
  const random = seeded(seed);
  let backOffice: BackOffice;
  const refs: string[] = [];
  const attempts = new Map<string, Attempt[]>();

  beforeAll(async () => {
    partner = await makePartner();
    proxy = await startFaultyProxy(partner.url, { slowMs: TIMEOUT_MS / 3 });
    alliance = await createTestAlliance(Object.entries(ENDPOINTS).map(([id, endpoint]) => ({ id, endpoint })));
    alliance.members.get('xihaike')!.items = [{ code: ITEM, modes: ['proxy_intake'] }];
    const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
    const { baseUrl, ...rest } = partner.file(proxy.url) as { baseUrl: string };
    const file = partnerSchema.parse({ member: 'xihaike', name: '受理方后台（故障测试）', backOffice: { baseUrl, timeoutMs: TIMEOUT_MS }, agreements: [], ...rest });
    const routes: Record<string, Gateway> = {};
    for (const id of ['gaoxin', 'xihaike'] as const) {
      const db = await createTestDatabase();
      dbs.push(db);
      await seedDefaultCatalog(db.database.db);
      gw[id] = await startTestGateway({
        alliance, memberId: id, database: db.database, clock: systemClock, registry: () => registry, catalog: dbCatalogReader(db.database.db), fetch: allianceFetch(routes),
        ...(id === 'xihaike' ? { partners: [file], secrets: partner.secrets } : {}),
      });
      routes[ENDPOINTS[id]] = gw[id];
    }
    // The worker on a clock the test moves: backoffs pass without waiting; the jitter is seeded too.
    backOffice = createBackOffice({ ...caseCtxOf(gw.xihaike.deps), clock }, { pollMs: POLL_MS, leaseMs: 30_000, retry: RETRY, random: seeded(seed + 1) });
    for (let i = 0; i < CASES; i++) refs.push(await transferCase({ alliance, from: 'gaoxin', to: gw.xihaike, toId: 'xihaike', itemCode: ITEM }));
    clock.set(Date.now()); // the cases are due from their receipt on
  }, 30_000);

  afterAll(async () => {
    await proxy?.close();
    await partner?.close();
    await Promise.all(dbs.map((d) => d.drop()));
  });

  const db = () => gw.xihaike.deps.database.db;
  const rows = async () => Promise.all(refs.map(async (ref) => ({ ref, ...(await caseRow(db(), ref)) })));

  /** One round of the worker at the clock's time; every step's outcome is kept with the row it left. */
  async function round(): Promise<number> {
    const at = clock.now();
    const steps = await backOffice.runOnce(CASES * 2);
    for (const s of steps) {
      const row = await caseRow(db(), s.caseRef);
      attempts.set(s.caseRef, [...(attempts.get(s.caseRef) ?? []), { at, action: s.action, result: s.result, row }]);
      expect(['done', 'retry', 'stopped'], `${s.caseRef} ${s.action}`).toContain(s.result);
      if (s.result === 'retry') {
        // Visible, and tried later: within the backoff's ceiling for this attempt.
        expect(row.partner_error).toMatch(new RegExp(`^${s.action}: (unavailable|timeout): `));
        const ceiling = Math.min(RETRY.capMs, RETRY.baseMs * 2 ** Math.max(0, row.partner_attempts - 1));
        expect(row.partner_next_at!.getTime() - at).toBeGreaterThan(0);
        expect(row.partner_next_at!.getTime() - at).toBeLessThanOrEqual(ceiling);
      }
      if (s.result === 'stopped') expect({ error: row.partner_error, next: row.partner_next_at }).toEqual({ error: expect.stringMatching(new RegExp(`^${s.action}: bad_response: `)), next: null });
    }
    return steps.length;
  }

  /** Rounds until nothing is retrying: the clock jumps to the latest pending retry each time. */
  async function settle(faultRounds: number): Promise<void> {
    for (let r = 0; r < 40; r++) {
      if (r === faultRounds) proxy.heal();
      await round();
      const retrying = (await rows()).filter((c) => c.partner_error !== null && c.partner_next_at !== null);
      if (!retrying.length && r >= faultRounds) return;
      clock.set(Math.max(clock.now(), ...retrying.map((c) => c.partner_next_at!.getTime())));
    }
    throw new Error('cases still retrying after 40 rounds');
  }

  /** Cases stopped by an answer the adapter could not read: listed for supervisors, then resumed by one. */
  async function resumeStopped(): Promise<string[]> {
    const stopped = (await backOffice.failures({ stoppedOnly: true })).filter((f) => refs.includes(f.caseRef));
    for (const f of stopped) {
      expect(f.error).toMatch(/bad_response/);
      expect(await backOffice.resume(f.caseRef)).toBe(true);
    }
    if (stopped.length) await settle(0);
    return stopped.map((f) => f.caseRef);
  }

  it(`submits ${CASES} cases through timeouts, 5xx, resets, slow and garbled answers: each lands once, failures visible and retried later`, async () => {
    proxy.plan(OPENING);
    proxy.decide(() => (random() < 0.5 ? RANDOM_FAULTS[Math.floor(random() * RANDOM_FAULTS.length)]! : 'ok'));
    await settle(4);
    const stopped = await resumeStopped();

    const final = await rows();
    for (const c of final) {
      expect({ ref: c.ref, state: c.state, partnerState: c.partner_state, error: c.partner_error, attempts: c.partner_attempts }).toEqual({ ref: c.ref, state: 'received', partnerState: 'received', error: null, attempts: 0 });
      // The sandbox's own records: exactly one per case, the one our row names.
      expect(partner.recordsFor(c.ref), c.ref).toEqual([c.partner_ref]);
    }
    expect(new Set(final.map((c) => c.partner_ref)).size).toBe(CASES);
    // Each attempt after a failure came later than the failure said, never earlier.
    for (const [ref, list] of attempts) {
      for (let i = 1; i < list.length; i++) {
        const before = list[i - 1]!;
        if (before.result === 'retry') expect(list[i]!.at, ref).toBeGreaterThanOrEqual(before.row.partner_next_at!.getTime());
        expect(list[i]!.at, ref).toBeGreaterThan(before.at);
      }
    }
    const failed = [...attempts.values()].filter((l) => l.some((a) => a.result !== 'done')).length;
    expect(failed).toBeGreaterThan(0);
    // Answers lost after the partner acted (reset, truncated) made it see repeats: answered from its record.
    const repeats = refs.reduce((n, ref) => n + partner.submitsFor(ref) - 1, 0);
    expect(proxy.counts.reset + proxy.counts.malformed).toBeGreaterThan(0);
    console.info(`[${partner.adapter}] proxy ${JSON.stringify(proxy.counts)}; cases that failed at least once: ${failed}; stopped (bad_response) and resumed: ${stopped.length}; repeated submissions deduplicated by the back office: ${repeats}`);
  }, 60_000);

  it('polls through the same faults: each case takes the acceptance once, no invalid transition', async () => {
    for (const c of await rows()) await partner.accept(c.partner_ref!);
    clock.advance(POLL_MS + 1);
    proxy.decide(() => (random() < 0.5 ? RANDOM_FAULTS[Math.floor(random() * RANDOM_FAULTS.length)]! : 'ok'));
    await settle(3);
    const stopped = await resumeStopped();
    for (const c of await rows()) {
      expect({ state: c.state, partnerState: c.partner_state, error: c.partner_error }, c.ref).toEqual({ state: 'accepted', partnerState: 'accepted', error: null });
      const timeline = await timelineOf(db(), c.ref);
      expect(timeline.map((e) => [e.type, e.status_after]), c.ref).toEqual([['accepted', 'accepted']]);
      expect(partner.recordsFor(c.ref)).toEqual([c.partner_ref]);
    }
    // The acceptance went once into the outbox per case, for the intake member.
    const outbox = rowsOf<{ case_ref: string }>(await db().execute(sql`select case_ref from outbox_messages`));
    expect(outbox.map((m) => m.case_ref).sort()).toEqual([...refs].sort());
    console.info(`[${partner.adapter}] polls: proxy ${JSON.stringify(proxy.counts)}; stopped (bad_response) and resumed: ${stopped.length}`);
  }, 60_000);
});
