import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxControl } from '../../adapters/soap-legacy/sandbox';
import { seedDefaultCatalog } from '../../src/entry/node/catalog';
import type { Gateway } from '../../src/gateway';
import { systemClock } from '../../src/lib/clock';
import { utf8 } from '../../src/lib/encoding';
import { randomIds } from '../../src/lib/ids';
import { dbCatalogReader } from '../../src/services/catalog/catalog-in-force';
import { addClerk } from '../../src/services/clerks/add-clerk';
import { createBackOffice } from '../../src/services/cases/backoffice/back-office';
import { caseCtxOf } from '../../src/services/cases/case-ctx';
import { partnerSchema, type PartnerConfig } from '../../src/services/partners/schema';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { allianceFetch, caseRow, deliverInOrder, ID_NUMBER, insertIntakeCase, makeDue, sendCaseEvent, timelineOf, transferCase } from '../support/backoffice';
import { createTestDatabase, openSameDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';

// A member whose back office is a provincial SOAP CaseService: no callbacks, so polling moves its cases.

const ENDPOINTS = { gaoxin: 'https://gaoxin.example.test', 'chengdu-gx': 'https://chengdu.example.test' } as const;
type Member = keyof typeof ENDPOINTS;
const SECRETS = { CDGX_WS_USER: 'sandbox', CDGX_WS_PASSWORD: 'sandbox-secret' };
const FIELDS = { 'applicant.name': 'applicantName', 'applicant.idType': 'certType', 'applicant.idNumber': 'certNo', 'applicant.phone': 'mobile', 'delivery.method': 'deliveryType' };

let alliance: TestAlliance;
let soap: Awaited<ReturnType<typeof startSandbox>>;
let control: SandboxControl;
let backOfficeFile: PartnerConfig;
const dbs = {} as Record<Member, TestDatabase>;
const gw = {} as Record<Member, Gateway>;
const routes: Record<string, Gateway> = {};

beforeAll(async () => {
  alliance = await createTestAlliance(Object.entries(ENDPOINTS).map(([id, endpoint]) => ({ id, endpoint })));
  alliance.members.get('chengdu-gx')!.items = [{ code: 'KS-GJJ-003', modes: ['proxy_intake'] }];
  const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
  soap = await startSandbox({ requiredFields: ['applicantName', 'certNo'] });
  control = soap.control;
  // partners/chengdu-gx.json is the model; here it points at the sandbox.
  backOfficeFile = partnerSchema.parse({
    member: 'chengdu-gx', name: '成都高新区政务服务中心（测试）', adapter: 'soap-legacy',
    backOffice: { baseUrl: soap.url, timeoutMs: 3000 },
    auth: { username: 'CDGX_WS_USER', password: 'CDGX_WS_PASSWORD' }, options: {},
    statusMap: { SJ: 'received', SL: 'accepted', BYSL: 'rejected', BZ: 'supplement_requested', 'BJ-ZY': 'approved', 'BJ-BY': 'denied', CZ: 'result_issued', CH: 'withdrawn' },
    agreements: [],
    items: { 'KS-GJJ-003': { serviceCode: '510109-GJJ-0003', fieldMap: FIELDS } },
  });
  const fetch = allianceFetch(routes);
  for (const id of ['gaoxin', 'chengdu-gx'] as const) {
    dbs[id] = await createTestDatabase();
    await seedDefaultCatalog(dbs[id].database.db);
    gw[id] = await startTestGateway({
      alliance, memberId: id, database: dbs[id].database, clock: systemClock, registry: () => registry, catalog: dbCatalogReader(dbs[id].database.db), fetch,
      ...(id === 'chengdu-gx' ? { partners: [backOfficeFile], secrets: SECRETS } : {}),
    });
    routes[ENDPOINTS[id]] = gw[id];
  }
});

afterAll(async () => {
  await soap?.close();
  await Promise.all(Object.values(dbs).map((d) => d.drop()));
});

const cd = (ref: string) => caseRow(dbs['chengdu-gx'].database.db, ref);
const due = (ref: string) => makeDue(dbs['chengdu-gx'].database.db, ref);
const backOffice = () => gw['chengdu-gx'].backOffice!;

async function newCase(): Promise<{ ref: string; intakeRef: string }> {
  const ref = await transferCase({ alliance, from: 'gaoxin', to: gw['chengdu-gx'], toId: 'chengdu-gx', itemCode: 'KS-GJJ-003' });
  const intakeRef = `cs_GX${ref.slice(5)}`;
  await insertIntakeCase(dbs.gaoxin.database.db, { ref: intakeRef, remoteRef: ref, intake: 'gaoxin', handling: 'chengdu-gx', itemCode: 'KS-GJJ-003' });
  return { ref, intakeRef };
}

describe('a polling-only back office (soap-legacy)', () => {
  it('gets the case by SubmitCase, and its polled states reach the intake member', async () => {
    const { ref, intakeRef } = await newCase();
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'submit', result: 'done' }]);
    const { partner_ref: caseNo } = await cd(ref);
    expect(control.cases.get(caseNo!)).toMatchObject({ externalRef: ref, serviceCode: '510109-GJJ-0003', applyData: { certNo: ID_NUMBER } });

    control.advance(caseNo!, 'SL', { opinion: '予以受理' });
    await due(ref);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'poll', result: 'done' }]);
    expect(await cd(ref)).toMatchObject({ state: 'accepted', partner_state: 'accepted' });
    expect(await gw['chengdu-gx'].outbox.runOnce()).toEqual(['delivered']);
    expect((await caseRow(dbs.gaoxin.database.db, intakeRef)).state).toBe('accepted');

    // 办结（准予） then 出证, each seen by its own poll.
    control.advance(caseNo!, 'BJ-ZY', { documentNo: '成高审〔2026〕7号' });
    await due(ref);
    await backOffice().runOnce();
    control.advance(caseNo!, 'CZ');
    await due(ref);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'poll', result: 'done' }]);
    expect(await cd(ref)).toMatchObject({ state: 'result_issued', partner_state: 'result_issued', partner_error: null });
    expect(await deliverInOrder(gw['chengdu-gx'])).toEqual(['delivered', 'delivered']);
    const events = await timelineOf(dbs.gaoxin.database.db, intakeRef);
    expect(events.map((e) => e.type)).toEqual(['accepted', 'decided', 'result_issued']);
  });

  it('fills in the acceptance a poll implies', async () => {
    const { ref, intakeRef } = await newCase();
    await backOffice().runOnce();
    const { partner_ref: caseNo } = await cd(ref);
    control.advance(caseNo!, 'BJ-BY', { opinion: '不符合条件' });
    await due(ref);
    await backOffice().runOnce();
    expect(await cd(ref)).toMatchObject({ state: 'decided', partner_state: 'denied' });
    expect((await timelineOf(dbs['chengdu-gx'].database.db, ref)).map((e) => e.type)).toEqual(['accepted', 'decided']);
    expect(await deliverInOrder(gw['chengdu-gx'])).toEqual(['delivered', 'delivered']);
    expect((await caseRow(dbs.gaoxin.database.db, intakeRef)).state).toBe('decided');
  });

  it('a poll that fails is retried; one the case cannot take is kept in partnerError', async () => {
    const { ref } = await newCase();
    await backOffice().runOnce();
    const { partner_ref: caseNo } = await cd(ref);
    control.failNext({ http: 503, body: '<html>busy</html>' });
    await due(ref);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'poll', result: 'retry' }]);
    expect(await cd(ref)).toMatchObject({ state: 'received', partner_attempts: 1, partner_error: expect.stringMatching(/^poll: unavailable/) });

    control.advance(caseNo!, 'CZ'); // 出证 of a case never decided: the outcome is unknown
    await due(ref);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'poll', result: 'done' }]);
    const row = await cd(ref);
    expect(row).toMatchObject({ state: 'received', partner_state: 'result_issued', partner_attempts: 0, partner_error: expect.stringContaining('result_issued') });
    expect(row.partner_next_at).not.toBeNull(); // polling goes on: the next state may be one the case can take
    expect(await gw['chengdu-gx'].outbox.runOnce()).toEqual([]);
  });

  it('a callback to a polling-only back office is 400, never a 5xx', async () => {
    const res = await gw['chengdu-gx'].app.request(`${ENDPOINTS['chengdu-gx']}/partners/v1/chengdu-gx/callbacks`, { method: 'POST', body: utf8('{}') as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_request' });
  });

  it('supplements: BZ found by a poll reaches the intake member; its answer goes to the province by SupplementCase, once', async () => {
    const { ref, intakeRef } = await newCase();
    await backOffice().runOnce();
    const { partner_ref: caseNo } = await cd(ref);
    control.advance(caseNo!, 'BZ', { opinion: '请补正户口簿', items: ['户口簿'], deadline: '2026-12-05 17:00:00' });
    await due(ref);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'poll', result: 'done' }]);
    expect(await cd(ref)).toMatchObject({ state: 'supplement_requested', partner_state: 'supplement_requested' });
    expect(await deliverInOrder(gw['chengdu-gx'])).toEqual(['delivered']);
    expect((await caseRow(dbs.gaoxin.database.db, intakeRef)).state).toBe('supplement_requested');

    const content = utf8('户口簿 本人页');
    const material = { requirement: 'hukou', name: '户口簿', mediaType: 'application/pdf', size: content.length, sha256: createHash('sha256').update(content).digest('hex'), content: Buffer.from(content).toString('base64') };
    // The intake clerk answers through the clerk API; gaoxin's outbox carries it to chengdu-gx.
    const { token } = await addClerk({ ctx: { db: dbs.gaoxin.database.db, clock: systemClock, ids: randomIds }, input: { name: 'gaoxin intake', window: 'kuayu-1', role: 'intake', windows: null } });
    const res = await gw.gaoxin.app.request(`${ENDPOINTS.gaoxin}/api/v1/cases/${intakeRef}/events`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'supplement_provided', data: { materials: [material] } }),
    });
    expect(res.status).toBe(200);
    expect(await deliverInOrder(gw.gaoxin)).toEqual(['delivered']);
    expect(await cd(ref)).toMatchObject({ state: 'under_review' });
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'supplement', result: 'done' }]);
    expect(control.received.filter((r) => r.soapAction?.includes('SupplementCase') && r.xml.includes(caseNo!))).toHaveLength(1);
    expect(control.cases.get(caseNo!)).toMatchObject({ statusCode: 'SJ', supplements: [{ materials: [expect.objectContaining({ code: 'hukou', sha256: material.sha256 })] }] });

    control.advance(caseNo!, 'SL', { opinion: '补正后予以受理' });
    await due(ref);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'poll', result: 'done' }]);
    expect(await cd(ref)).toMatchObject({ state: 'accepted', partner_state: 'accepted', partner_error: null });
    expect(control.received.filter((r) => r.soapAction?.includes('SupplementCase') && r.xml.includes(caseNo!))).toHaveLength(1);
    expect(await deliverInOrder(gw['chengdu-gx'])).toEqual(['delivered']);
    expect((await caseRow(dbs.gaoxin.database.db, intakeRef)).state).toBe('accepted');
  });

  it('a withdrawal is sent as RevokeCase', async () => {
    const { ref } = await newCase();
    await backOffice().runOnce();
    const { partner_ref: caseNo } = await cd(ref);
    const answer = await sendCaseEvent({ alliance, from: 'gaoxin', to: gw['chengdu-gx'], toId: 'chengdu-gx', ref, event: { eventId: `wd-${ref}`, type: 'withdrawn', at: new Date().toISOString(), note: '申请人撤回' } });
    expect(answer.status).toBe(200);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'withdraw', result: 'done' }]);
    expect(control.cases.get(caseNo!)).toMatchObject({ statusCode: 'CH', opinion: '申请人撤回' });
    expect(await cd(ref)).toMatchObject({ state: 'withdrawn', partner_state: 'withdrawn', partner_next_at: null });
  });
});

describe('several instances on one database', () => {
  it('claim each due case once', async ({ skip }) => {
    if (!dbs['chengdu-gx'].url) skip(); // PGlite is one connection: one instance
    const second = await openSameDatabase(dbs['chengdu-gx'].url!);
    try {
      const refs = [(await newCase()).ref, (await newCase()).ref, (await newCase()).ref];
      const other = createBackOffice({ ...caseCtxOf(gw['chengdu-gx'].deps), db: second.db });
      const [a, b] = await Promise.all([backOffice().runOnce(2), other.runOnce(2)]);
      const worked = [...a, ...b, ...(await backOffice().runOnce())].map((s) => s.caseRef).filter((r) => refs.includes(r));
      expect(worked.sort()).toEqual([...refs].sort());
      for (const ref of refs) expect([...control.cases.values()].filter((k) => k.externalRef === ref)).toHaveLength(1);
      const submits = control.received.filter((r) => refs.some((ref) => r.xml.includes(ref)) && r.soapAction?.includes('SubmitCase'));
      expect(submits).toHaveLength(3);
    } finally {
      await second.close();
    }
  });
});
