import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startSandbox, type StandardSandbox } from '../../adapters/standard/sandbox';
import type { RunningSandbox } from '../../adapters/common/sandbox-kit';
import { hmacSha256 } from '../../adapters/common/signature';
import { seedDefaultCatalog } from '../../src/entry/node/catalog';
import type { Gateway } from '../../src/gateway';
import { systemClock } from '../../src/lib/clock';
import { hex, utf8 } from '../../src/lib/encoding';
import { dbCatalogReader } from '../../src/services/catalog/catalog-in-force';
import { partnerSchema } from '../../src/services/partners/schema';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { allianceFetch, caseRow, deliverInOrder, ID_NUMBER, insertIntakeCase, makeDue, PHONE, recordingLogger, sendCaseEvent, timelineOf, transferCase } from '../support/backoffice';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';

const ENDPOINTS = { gaoxin: 'https://gaoxin.example.test', xihaike: 'https://xihaike.example.test' } as const;
type Member = keyof typeof ENDPOINTS;
const SECRETS = { XHK_BO_API_KEY: 'bo-key-1', XHK_BO_CALLBACK_SECRET: 'bo-callback-secret' };
const CALLBACK_URL = `${ENDPOINTS.xihaike}/partners/v1/xihaike/callbacks`;
const FIELDS = { 'applicant.name': 'applicant_name', 'applicant.idType': 'id_type', 'applicant.idNumber': 'id_number', 'applicant.phone': 'phone' };

let alliance: TestAlliance;
let sandbox: StandardSandbox & RunningSandbox;
const dbs = {} as Record<Member, TestDatabase>;
const gw = {} as Record<Member, Gateway>;
const routes: Record<string, Gateway> = {};
const log = recordingLogger();
/** The callbacks the sandbox posted, exactly as sent; `drop` loses the next ones on the way. */
const callbacks = { sent: [] as { headers: Headers; body: Uint8Array }[], drop: false };

beforeAll(async () => {
  alliance = await createTestAlliance(Object.entries(ENDPOINTS).map(([id, endpoint]) => ({ id, endpoint })));
  alliance.members.get('xihaike')!.items = [
    { code: 'KS-GJJ-003', modes: ['proxy_intake'] }, { code: 'KS-GJJ-005', modes: ['proxy_intake'] }, { code: 'KS-GJJ-001', modes: ['proxy_intake'] },
  ];
  const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
  sandbox = await startSandbox({
    apiKey: SECRETS.XHK_BO_API_KEY, callbackSecret: SECRETS.XHK_BO_CALLBACK_SECRET,
    services: { 'STD-GJJ-003': ['applicant_name', 'id_type', 'id_number'] },
    fetch: (async (input: string, init: RequestInit) => {
      if (callbacks.drop) throw new TypeError('fetch failed: the callback was lost');
      const headers = new Headers(init.headers);
      callbacks.sent.push({ headers, body: init.body as Uint8Array });
      return gw.xihaike.app.request(input, init);
    }) as typeof fetch,
  });
  // partners/xihaike.json as the member would write it (partners/gaoxin.json is the model), at the sandbox.
  const backOffice = partnerSchema.parse({
    member: 'xihaike', name: '西海岸新区行政审批服务局（测试）', adapter: 'standard',
    backOffice: { baseUrl: sandbox.url, timeoutMs: 3000 },
    auth: { apiKey: 'XHK_BO_API_KEY', callbackSecret: 'XHK_BO_CALLBACK_SECRET' },
    options: { callbackUrl: CALLBACK_URL }, statusMap: {}, agreements: [],
    items: { 'KS-GJJ-003': { serviceCode: 'STD-GJJ-003', fieldMap: FIELDS }, 'KS-GJJ-005': { serviceCode: 'STD-GONE', fieldMap: FIELDS } },
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
});

afterAll(async () => {
  await sandbox?.close();
  await Promise.all(Object.values(dbs).map((d) => d.drop()));
});
afterEach(() => { sandbox.control.clearFaults(); callbacks.drop = false; });

/** A case transferred from gaoxin to xihaike, and gaoxin's own intake case for it. */
async function newCase(itemCode = 'KS-GJJ-003'): Promise<{ ref: string; intakeRef: string }> {
  const ref = await transferCase({ alliance, from: 'gaoxin', to: gw.xihaike, toId: 'xihaike', itemCode });
  const intakeRef = `cs_GX${ref.slice(5)}`;
  await insertIntakeCase(dbs.gaoxin.database.db, { ref: intakeRef, remoteRef: ref, intake: 'gaoxin', handling: 'xihaike', itemCode });
  return { ref, intakeRef };
}

const backOffice = () => gw.xihaike.backOffice!;
const sandboxCasesFor = (ref: string) => [...sandbox.control.cases.values()].filter((k) => k.externalRef === ref);
const xh = (ref: string) => caseRow(dbs.xihaike.database.db, ref);
const gx = (ref: string) => caseRow(dbs.gaoxin.database.db, ref);

async function postCallback(body: Uint8Array, signature: string | null, member = 'xihaike') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-signature'] = signature;
  const res = await gw.xihaike.app.request(`${ENDPOINTS.xihaike}/partners/v1/${member}/callbacks`, { method: 'POST', headers, body: body as Uint8Array<ArrayBuffer> });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
const sign = async (body: Uint8Array, secret = SECRETS.XHK_BO_CALLBACK_SECRET) => `sha256=${hex(await hmacSha256(secret, body))}`;

describe('a case for an item the back office maps', () => {
  let ref: string;
  let intakeRef: string;
  let partnerRef: string;

  it('is submitted to the back office once, with the ID number and phone opened from their seals', async () => {
    ({ ref, intakeRef } = await newCase());
    expect((await xh(ref)).partner_next_at).not.toBeNull();
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'submit', result: 'done' }]);
    const [submitted, ...others] = sandboxCasesFor(ref);
    expect(others).toEqual([]);
    expect(submitted).toMatchObject({ serviceCode: 'STD-GJJ-003', mode: 'proxy_intake', callbackUrl: CALLBACK_URL, fields: { applicant_name: '李四', id_type: 'resident_id', id_number: ID_NUMBER, phone: PHONE } });
    expect(submitted!.materials).toHaveLength(1);
    partnerRef = submitted!.id;
    const row = await xh(ref);
    expect(row).toMatchObject({ state: 'received', partner_ref: partnerRef, partner_state: 'received', partner_attempts: 0, partner_error: null });
    expect(row.partner_next_at!.getTime()).toBeGreaterThan(Date.now() + 30_000); // the first poll, a poll interval away
    expect(await backOffice().runOnce()).toEqual([]);
  });

  it('is not submitted twice when the gateway died between the answer and recording it', async () => {
    // The crash: the back office has the case, our row never learned its partnerRef.
    // (a second back: now() has microseconds, the worker compares with a millisecond JS clock)
    await dbs.xihaike.database.db.execute(sql`update cases set partner_ref = null, partner_state = null, partner_attempts = 1, partner_next_at = now() - interval '1 second' where ref = ${ref}`);
    const posts = () => sandbox.control.requests.filter((r) => r.method === 'POST' && r.path === '/api/cases' && (r.body as { externalRef?: string }).externalRef === ref).length;
    expect(posts()).toBe(1);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'submit', result: 'done' }]);
    expect(posts()).toBe(2);
    expect(sandboxCasesFor(ref)).toHaveLength(1); // deduplicated by externalRef = caseRef
    expect(await xh(ref)).toMatchObject({ partner_ref: partnerRef, partner_state: 'received' });
  });

  it("turns the back office's callbacks into §7.2 events the intake member's case follows", async () => {
    const { delivery } = await sandbox.control.advance(partnerRef, 'accepted', { note: '材料齐全，予以受理' });
    expect(delivery).toEqual({ status: 200 });
    expect(await xh(ref)).toMatchObject({ state: 'accepted', partner_state: 'accepted' });
    expect(await gw.xihaike.outbox.runOnce()).toEqual(['delivered']);
    expect((await gx(intakeRef)).state).toBe('accepted');

    await sandbox.control.advance(partnerRef, 'approved', { data: { documentNo: '青审批〔2026〕12号' } });
    await sandbox.control.advance(partnerRef, 'result_issued');
    expect(await deliverInOrder(gw.xihaike)).toEqual(['delivered', 'delivered']);
    expect((await gx(intakeRef)).state).toBe('result_issued');
    const events = await timelineOf(dbs.gaoxin.database.db, intakeRef);
    expect(events.map((e) => [e.type, e.side])).toEqual([['accepted', 'handling'], ['decided', 'handling'], ['result_issued', 'handling']]);
    expect(events.every((e) => e.event_id.startsWith('pb_'))).toBe(true);
    expect(await timelineOf(dbs.xihaike.database.db, ref)).toEqual(events.map((e) => ({ ...e })));
  });

  it('a repeated callback is a no-op', async () => {
    const first = callbacks.sent.find((c) => JSON.parse(new TextDecoder().decode(c.body)).status === 'accepted')!;
    const before = await timelineOf(dbs.xihaike.database.db, ref);
    expect(await postCallback(first.body, first.headers.get('x-signature'))).toEqual({ status: 200, json: { accepted: 1 } });
    expect(await timelineOf(dbs.xihaike.database.db, ref)).toEqual(before);
    expect(await xh(ref)).toMatchObject({ state: 'result_issued', partner_state: 'result_issued', partner_error: null });
    expect(await gw.xihaike.outbox.runOnce()).toEqual([]);
  });

  it('a callback with a bad or missing signature is refused and changes nothing', async () => {
    const body = utf8(JSON.stringify({ eventId: 'forged-1', caseId: partnerRef, externalRef: ref, serviceCode: 'STD-GJJ-003', status: 'closed', at: new Date().toISOString() }));
    expect(await postCallback(body, await sign(body, 'not-the-secret'))).toMatchObject({ status: 401, json: { code: 'bad_signature' } });
    expect(await postCallback(body, null)).toMatchObject({ status: 401, json: { code: 'bad_signature' } });
    const tampered = utf8(new TextDecoder().decode(body).replace('closed', 'shipped'));
    expect(await postCallback(tampered, await sign(body))).toMatchObject({ status: 401, json: { code: 'bad_signature' } });
    expect(await xh(ref)).toMatchObject({ state: 'result_issued', partner_state: 'result_issued' });
    expect(await gw.xihaike.outbox.runOnce()).toEqual([]);
  });

  it('a signed callback off its schema is 400, one for an unknown case 404, one for another member 404', async () => {
    const junk = utf8('{"eventId": 1}');
    expect(await postCallback(junk, await sign(junk))).toMatchObject({ status: 400, json: { code: 'invalid_request' } });
    const notJson = utf8('<xml/>');
    expect(await postCallback(notJson, await sign(notJson))).toMatchObject({ status: 400, json: { code: 'invalid_request' } });
    const unknown = utf8(JSON.stringify({ eventId: 'x-1', caseId: 'SC-999999', externalRef: 'cs_AAAAAAAAAAAAAAAA', status: 'accepted', at: new Date().toISOString() }));
    expect(await postCallback(unknown, await sign(unknown))).toMatchObject({ status: 404, json: { code: 'not_found' } });
    const otherRef = utf8(JSON.stringify({ eventId: 'x-2', caseId: 'SC-999999', externalRef: ref, status: 'closed', at: new Date().toISOString() }));
    expect(await postCallback(otherRef, await sign(otherRef))).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect(await postCallback(unknown, await sign(unknown), 'gaoxin')).toMatchObject({ status: 404, json: { code: 'not_found' } });
    const big = new Uint8Array(1024 * 1024 + 1).fill(32);
    expect(await postCallback(big, await sign(big))).toMatchObject({ status: 413, json: { code: 'payload_too_large' } });
    expect(await xh(ref)).toMatchObject({ state: 'result_issued', partner_state: 'result_issued' });
  });

  it('a state the case cannot take is kept in partnerError, answered 200, and listed for supervisors', async () => {
    // shipped without carrier and tracking number: §7.2 requires both.
    expect((await sandbox.control.advance(partnerRef, 'shipped')).delivery).toEqual({ status: 200 });
    const row = await xh(ref);
    expect(row).toMatchObject({ state: 'result_issued', partner_state: 'shipped', partner_error: expect.stringContaining('shipped') });
    expect(await gw.xihaike.outbox.runOnce()).toEqual([]);
    expect(await backOffice().failures()).toEqual(expect.arrayContaining([expect.objectContaining({ caseRef: ref, status: 'result_issued', partnerState: 'shipped' })]));
  });
});

describe('polling: the backstop of lost callbacks', () => {
  it('finds a state whose callback was lost, filling in the steps it implies', async () => {
    const { ref, intakeRef } = await newCase();
    await backOffice().runOnce();
    const partnerRef = (await xh(ref)).partner_ref!;
    callbacks.drop = true;
    await sandbox.control.advance(partnerRef, 'approved', { data: { documentNo: '青审批〔2026〕13号' } });
    expect((await xh(ref)).state).toBe('received');
    await makeDue(dbs.xihaike.database.db, ref);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'poll', result: 'done' }]);
    expect(await xh(ref)).toMatchObject({ state: 'decided', partner_state: 'approved', partner_error: null });
    expect((await timelineOf(dbs.xihaike.database.db, ref)).map((e) => e.type)).toEqual(['accepted', 'decided']);
    expect(await deliverInOrder(gw.xihaike)).toEqual(['delivered', 'delivered']);
    expect((await gx(intakeRef)).state).toBe('decided');
    // Polled again with nothing new: nothing is recorded or sent.
    await makeDue(dbs.xihaike.database.db, ref);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'poll', result: 'done' }]);
    expect(await timelineOf(dbs.xihaike.database.db, ref)).toHaveLength(2);
    expect(await gw.xihaike.outbox.runOnce()).toEqual([]);
  });
});

describe('failures', () => {
  it('a back office that is down is retried with backoff, then the case goes through', async () => {
    const { ref } = await newCase();
    sandbox.control.failNext({ kind: 'status', status: 503, path: '/api/cases' });
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'submit', result: 'retry' }]);
    const failed = await xh(ref);
    expect(failed).toMatchObject({ partner_ref: null, partner_attempts: 1, partner_error: expect.stringMatching(/^submit: unavailable/) });
    expect(failed.partner_next_at!.getTime()).toBeGreaterThan(Date.now());
    expect(await backOffice().failures()).toEqual(expect.arrayContaining([expect.objectContaining({ caseRef: ref, attempts: 1, nextAttemptAt: expect.any(String) })]));
    expect(sandboxCasesFor(ref)).toEqual([]);

    await makeDue(dbs.xihaike.database.db, ref);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'submit', result: 'done' }]);
    expect(await xh(ref)).toMatchObject({ partner_ref: sandboxCasesFor(ref)[0]!.id, partner_state: 'received', partner_attempts: 0, partner_error: null });
  });

  it('a final refusal stops the case and lists it, without personal data', async () => {
    const { ref } = await newCase('KS-GJJ-005');
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'submit', result: 'stopped' }]);
    expect(await xh(ref)).toMatchObject({ state: 'received', partner_ref: null, partner_next_at: null, partner_error: expect.stringMatching(/^submit: rejected: .*Unknown service/) });
    const stopped = await backOffice().failures({ stoppedOnly: true });
    expect(stopped).toEqual([expect.objectContaining({ caseRef: ref, itemCode: 'KS-GJJ-005', nextAttemptAt: null, error: expect.stringContaining('rejected') })]);
    expect(log.lines.some((l) => l.level === 'warn' && (l.obj as { caseRef?: string }).caseRef === ref)).toBe(true);
    expect(await backOffice().runOnce()).toEqual([]);
    expect(await backOffice().resume(ref)).toBe(true);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'submit', result: 'stopped' }]);
  });

  it('an item the back office does not map stays with the clerks', async () => {
    const ref = await transferCase({ alliance, from: 'gaoxin', to: gw.xihaike, toId: 'xihaike', itemCode: 'KS-GJJ-001' });
    expect(await xh(ref)).toMatchObject({ state: 'received', partner_next_at: null, partner_ref: null });
    expect(await backOffice().runOnce()).toEqual([]);
    expect(gw.gaoxin.backOffice).toBeNull(); // a member without partners/<self>.json: its clerks handle every case
  });
});

describe('withdrawal by the intake member', () => {
  it('is passed on to the back office', async () => {
    const { ref } = await newCase();
    await backOffice().runOnce();
    const partnerRef = (await xh(ref)).partner_ref!;
    const answer = await sendCaseEvent({ alliance, from: 'gaoxin', to: gw.xihaike, toId: 'xihaike', ref, event: { eventId: `wd-${ref}`, type: 'withdrawn', at: new Date().toISOString(), note: '申请人撤回申请' } });
    expect(answer).toMatchObject({ status: 200, json: { status: 'withdrawn' } });
    expect((await xh(ref)).partner_next_at!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'withdraw', result: 'done' }]);
    expect(sandbox.control.cases.get(partnerRef)).toMatchObject({ status: 'withdrawn', events: expect.arrayContaining([expect.objectContaining({ status: 'withdrawn', note: '申请人撤回申请' })]) });
    expect(await xh(ref)).toMatchObject({ state: 'withdrawn', partner_state: 'withdrawn', partner_next_at: null, partner_error: null });
    expect(await backOffice().runOnce()).toEqual([]);
    expect(await gw.xihaike.outbox.runOnce()).toEqual([]); // the intake member sent the withdrawal; nothing goes back
  });

  it('a case withdrawn before it was ever sent is not sent at all', async () => {
    const { ref } = await newCase();
    const answer = await sendCaseEvent({ alliance, from: 'gaoxin', to: gw.xihaike, toId: 'xihaike', ref, event: { eventId: `wd-${ref}`, type: 'withdrawn', at: new Date().toISOString() } });
    expect(answer.status).toBe(200);
    expect(await backOffice().runOnce()).toEqual([{ caseRef: ref, action: 'none', result: 'done' }]);
    expect(sandboxCasesFor(ref)).toEqual([]);
    expect(await xh(ref)).toMatchObject({ state: 'withdrawn', partner_next_at: null });
  });
});

describe('the log', () => {
  it('never carries the ID number or the phone', () => {
    const text = JSON.stringify(log.lines);
    expect(log.lines.length).toBeGreaterThan(0);
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain(PHONE);
  });
});
