import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../adapters/common/sandbox-kit';
import { startSandbox, type StandardSandbox } from '../../adapters/standard/sandbox';
import { seedDefaultCatalog } from '../../src/entry/node/catalog';
import type { Gateway } from '../../src/gateway';
import { systemClock } from '../../src/lib/clock';
import { utf8 } from '../../src/lib/encoding';
import { randomIds } from '../../src/lib/ids';
import { dbCatalogReader } from '../../src/services/catalog/catalog-in-force';
import { addClerk } from '../../src/services/clerks/add-clerk';
import { partnerSchema } from '../../src/services/partners/schema';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { allianceFetch, caseRow, deliverInOrder, insertIntakeCase, makeDue, recordingLogger, timelineOf, transferCase } from '../support/backoffice';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';

// 补正 through a back office: the back office asks (standard sandbox), the intake clerk answers through the
// clerk API, and the handling gateway's back-office worker passes the materials on, once.

const ENDPOINTS = { gaoxin: 'https://gaoxin.example.test', xihaike: 'https://xihaike.example.test' } as const;
type Member = keyof typeof ENDPOINTS;
const SECRETS = { XHK_BO_API_KEY: 'bo-key-1', XHK_BO_CALLBACK_SECRET: 'bo-callback-secret' };
const CALLBACK_URL = `${ENDPOINTS.xihaike}/partners/v1/xihaike/callbacks`;
const FIELDS = { 'applicant.name': 'applicant_name', 'applicant.idType': 'id_type', 'applicant.idNumber': 'id_number', 'applicant.phone': 'phone' };
const CONTENT = utf8('结婚证 扫描件');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const MATERIAL = { requirement: 'marriage-cert', name: '婚姻证明', mediaType: 'image/jpeg', size: CONTENT.length, sha256: sha256(CONTENT), content: Buffer.from(CONTENT).toString('base64') };

let alliance: TestAlliance;
let sandbox: StandardSandbox & RunningSandbox;
let intakeClerk: string;
const dbs = {} as Record<Member, TestDatabase>;
const gw = {} as Record<Member, Gateway>;
const routes: Record<string, Gateway> = {};
const log = recordingLogger();
const callbacks = { drop: false };

beforeAll(async () => {
  alliance = await createTestAlliance(Object.entries(ENDPOINTS).map(([id, endpoint]) => ({ id, endpoint })));
  alliance.members.get('xihaike')!.items = [{ code: 'KS-GJJ-003', modes: ['proxy_intake'] }];
  const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
  sandbox = await startSandbox({
    apiKey: SECRETS.XHK_BO_API_KEY, callbackSecret: SECRETS.XHK_BO_CALLBACK_SECRET,
    services: { 'STD-GJJ-003': ['applicant_name', 'id_type', 'id_number'] },
    fetch: (async (input: string, init: RequestInit) => {
      if (callbacks.drop) throw new TypeError('fetch failed: the callback was lost');
      return gw.xihaike.app.request(input, init);
    }) as typeof fetch,
  });
  const backOffice = partnerSchema.parse({
    member: 'xihaike', name: '西海岸新区行政审批服务局（测试）', adapter: 'standard',
    backOffice: { baseUrl: sandbox.url, timeoutMs: 3000 },
    auth: { apiKey: 'XHK_BO_API_KEY', callbackSecret: 'XHK_BO_CALLBACK_SECRET' },
    options: { callbackUrl: CALLBACK_URL }, statusMap: {}, agreements: [],
    items: { 'KS-GJJ-003': { serviceCode: 'STD-GJJ-003', fieldMap: FIELDS } },
  });
  const fetch = allianceFetch(routes);
  for (const id of ['gaoxin', 'xihaike'] as const) {
    dbs[id] = await createTestDatabase();
    await seedDefaultCatalog(dbs[id].database.db);
    gw[id] = await startTestGateway({
      alliance, memberId: id, database: dbs[id].database, clock: systemClock, registry: () => registry, catalog: dbCatalogReader(dbs[id].database.db), fetch,
      ...(id === 'xihaike' ? { partners: [backOffice], secrets: SECRETS, logger: log.logger } : {}),
    });
    routes[ENDPOINTS[id]] = gw[id];
  }
  ({ token: intakeClerk } = await addClerk({ ctx: { db: dbs.gaoxin.database.db, clock: systemClock, ids: randomIds }, input: { name: 'gaoxin intake', window: 'kuayu-1', role: 'intake', windows: null } }));
});

afterAll(async () => {
  await sandbox?.close();
  await Promise.all(Object.values(dbs).map((d) => d.drop()));
});
afterEach(() => { sandbox.control.clearFaults(); callbacks.drop = false; });

const backOffice = () => gw.xihaike.backOffice!;
const xh = (ref: string) => caseRow(dbs.xihaike.database.db, ref);
const gx = (ref: string) => caseRow(dbs.gaoxin.database.db, ref);
const supplementPosts = (partnerRef: string) => sandbox.control.requests.filter((r) => r.method === 'POST' && r.path === `/api/cases/${partnerRef}/supplements`);

/** A case at the back office whose supplement request has reached the intake member. */
async function caseAwaitingSupplements(): Promise<{ ref: string; intakeRef: string; partnerRef: string }> {
  const ref = await transferCase({ alliance, from: 'gaoxin', to: gw.xihaike, toId: 'xihaike', itemCode: 'KS-GJJ-003' });
  const intakeRef = `cs_GX${ref.slice(5)}`;
  await insertIntakeCase(dbs.gaoxin.database.db, { ref: intakeRef, remoteRef: ref, intake: 'gaoxin', handling: 'xihaike', itemCode: 'KS-GJJ-003' });
  expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'submit', result: 'done' }]);
  const partnerRef = (await xh(ref)).partner_ref!;
  const { delivery } = await sandbox.control.advance(partnerRef, 'supplement_requested', {
    note: '请补正婚姻证明', data: { items: [{ name: '婚姻证明', reason: '缺失' }], deadline: '2026-12-05T17:00:00+08:00' },
  });
  expect(delivery).toEqual({ status: 200 });
  expect(await xh(ref)).toMatchObject({ state: 'supplement_requested', partner_state: 'supplement_requested' });
  expect(await deliverInOrder(gw.xihaike)).toEqual(['delivered']);
  expect((await gx(intakeRef)).state).toBe('supplement_requested');
  return { ref, intakeRef, partnerRef };
}

/** The intake clerk posts the supplement through the clerk API; its outbox carries it to xihaike. */
async function provideSupplement(intakeRef: string): Promise<void> {
  const res = await gw.gaoxin.app.request(`${ENDPOINTS.gaoxin}/api/v1/cases/${intakeRef}/events`, {
    method: 'POST', headers: { authorization: `Bearer ${intakeClerk}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'supplement_provided', note: '婚姻证明已补', data: { materials: [MATERIAL] } }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: 'under_review' });
  expect(await deliverInOrder(gw.gaoxin)).toEqual(['delivered']);
}

describe('supplements the back office asked for', () => {
  it('reach the back office exactly once, and its decision flows back to the intake member', async () => {
    const { ref, intakeRef, partnerRef } = await caseAwaitingSupplements();
    await provideSupplement(intakeRef);
    const scheduled = await xh(ref);
    expect(scheduled.state).toBe('under_review');
    expect(scheduled.partner_next_at!.getTime()).toBeLessThanOrEqual(Date.now());

    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'supplement', result: 'done' }]);
    const k = sandbox.control.cases.get(partnerRef)!;
    expect(k.supplements).toEqual([{ materials: [{ ...MATERIAL }], note: '婚姻证明已补', at: expect.any(String) }]);
    expect(k.status).toBe('received'); // back where it was before the request
    expect(await xh(ref)).toMatchObject({ state: 'under_review', partner_attempts: 0, partner_error: null });
    expect((await xh(ref)).partner_next_at!.getTime()).toBeGreaterThan(Date.now() + 30_000); // the next poll
    const timeline = await timelineOf(dbs.xihaike.database.db, ref);
    expect(timeline.slice(-2).map((e) => [e.type, e.side, e.status_after])).toEqual([['supplement_provided', 'intake', 'under_review'], ['supplement_forwarded', 'handling', 'under_review']]);
    expect(timeline.at(-1)!.event_id).toBe(`sf_${timeline.at(-2)!.event_id}`);
    expect(await gw.xihaike.outbox.runOnce()).toEqual([]); // the marker is local: nothing goes to the intake member

    // A second round, and a poll when it is due: the supplement is not sent again.
    expect(await backOffice().runOnce()).toEqual([]);
    await makeDue(dbs.xihaike.database.db, ref);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'poll', result: 'done' }]);
    expect(supplementPosts(partnerRef)).toHaveLength(1);
    expect(await xh(ref)).toMatchObject({ state: 'under_review', partner_state: 'received' });

    expect((await sandbox.control.advance(partnerRef, 'accepted', { note: '补正后材料齐全' })).delivery).toEqual({ status: 200 });
    expect(await xh(ref)).toMatchObject({ state: 'accepted', partner_state: 'accepted' });
    expect(await deliverInOrder(gw.xihaike)).toEqual(['delivered']);
    expect((await gx(intakeRef)).state).toBe('accepted');
    expect((await timelineOf(dbs.gaoxin.database.db, intakeRef)).map((e) => e.type)).toEqual(['supplement_requested', 'supplement_provided', 'accepted']);
  });

  it('a back office that is down is retried with backoff, then gets the supplement once', async () => {
    const { ref, intakeRef, partnerRef } = await caseAwaitingSupplements();
    await provideSupplement(intakeRef);
    sandbox.control.failNext({ kind: 'status', status: 503, path: `/api/cases/${partnerRef}/supplements` });
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'supplement', result: 'retry' }]);
    const failed = await xh(ref);
    expect(failed).toMatchObject({ partner_attempts: 1, partner_error: expect.stringMatching(/^supplement: unavailable/) });
    expect(failed.partner_next_at!.getTime()).toBeGreaterThan(Date.now());
    expect(sandbox.control.cases.get(partnerRef)!.supplements).toBeUndefined();

    await makeDue(dbs.xihaike.database.db, ref);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'supplement', result: 'done' }]);
    expect(sandbox.control.cases.get(partnerRef)!.supplements).toHaveLength(1);
    expect(await xh(ref)).toMatchObject({ partner_attempts: 0, partner_error: null });
    expect(supplementPosts(partnerRef)).toHaveLength(2);
  });

  it('a back office no longer waiting for supplements refuses them: the case stops and is listed for supervisors', async () => {
    const { ref, intakeRef, partnerRef } = await caseAwaitingSupplements();
    callbacks.drop = true;
    await sandbox.control.advance(partnerRef, 'rejected', { note: '逾期未补正' }); // its callback is lost
    callbacks.drop = false;
    await provideSupplement(intakeRef);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'supplement', result: 'stopped' }]);
    expect(await xh(ref)).toMatchObject({ partner_next_at: null, partner_error: expect.stringMatching(/^supplement: rejected: .*Invalid transition/) });
    expect(await backOffice().failures({ stoppedOnly: true })).toEqual(expect.arrayContaining([expect.objectContaining({ caseRef: ref, error: expect.stringContaining('supplement') })]));
  });
});

describe('the log', () => {
  it('never carries material content', () => {
    expect(log.lines.some((l) => l.msg === 'supplements passed to the back office')).toBe(true);
    expect(JSON.stringify(log.lines)).not.toContain(MATERIAL.content);
  });
});
