import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256 } from '../../adapters/common/signature';
import type { RunningSandbox } from '../../adapters/common/sandbox-kit';
import { createXihaikeAdapter, type XihaikeAdapter } from '../../adapters/xihaike/index';
import { startSandbox, type XihaikeSandbox } from '../../adapters/xihaike/sandbox';
import { fixedClock } from '../../src/lib/clock';
import { hex, utf8 } from '../../src/lib/encoding';
import type { PartnerConfig } from '../../src/services/partners/schema';
import { adapterContext, callbackReceiver, expectAdapterError, failOnUnhandledRejections, material, partnerConfig, sampleSubmission } from './support/harness';

failOnUnhandledRejections();

const ENV = { XHK_CLIENT_ID: 'gw-client', XHK_CLIENT_SECRET: 'gw-secret', XHK_CALLBACK_SECRET: 'xhk-cb' };
const SERVICE = 'XHK-37021100123';
let sandbox: XihaikeSandbox & RunningSandbox;
let receiver: Awaited<ReturnType<typeof callbackReceiver>>;
let partner: PartnerConfig;
let adapter: XihaikeAdapter;

const fieldMap = {
  serviceCode: 'sxbm', caseRef: 'wbbh', 'applicant.name': 'sqrxm', 'applicant.idType': 'zjlx', 'applicant.idNumber': 'sfzh',
  'applicant.phone': 'lxdh', 'intake.receivedAt': 'sjsj', 'delivery.method': 'sdfs', 'delivery.address': 'yjdz',
};
const xihaikePartner = (baseUrl: string, options: Record<string, unknown> = {}) => partnerConfig({
  member: 'xihaike', name: '青岛西海岸新区', adapter: 'xihaike',
  backOffice: { baseUrl, timeoutMs: 200 },
  auth: { clientId: 'XHK_CLIENT_ID', clientSecret: 'XHK_CLIENT_SECRET', callbackSecret: 'XHK_CALLBACK_SECRET' },
  options,
  statusMap: { 10: 'received', 20: 'accepted', 21: 'rejected', 30: 'supplement_requested', 40: 'approved', 41: 'denied', 50: 'result_issued', 60: 'shipped', 70: 'delivered', 90: 'withdrawn' },
  agreements: [],
  items: {
    'KS-GJJ-001': { serviceCode: SERVICE, fieldMap },
    // A mapping that forgets the ID number: the back office refuses it with 42201.
    'KS-GJJ-002': { serviceCode: SERVICE, fieldMap: Object.fromEntries(Object.entries(fieldMap).filter(([k]) => k !== 'applicant.idNumber')) },
  },
});
const make = (env: Record<string, string> = ENV, clock = undefined as ReturnType<typeof fixedClock> | undefined) =>
  createXihaikeAdapter(adapterContext({ partner, env, ...(clock ? { clock } : {}) }));
const tokenRequests = () => sandbox.control.stats.tokenRequests;
const submitted = async (caseRef: string, a: XihaikeAdapter = adapter) => a.submitCase(await sampleSubmission('KS-GJJ-001', { caseRef }));

beforeAll(async () => {
  receiver = await callbackReceiver();
  sandbox = await startSandbox({ clientId: ENV.XHK_CLIENT_ID, clientSecret: ENV.XHK_CLIENT_SECRET, callbackSecret: ENV.XHK_CALLBACK_SECRET, callbackUrl: receiver.url, services: [SERVICE] });
  partner = xihaikePartner(sandbox.url);
  adapter = make();
});
afterAll(async () => { await sandbox?.close(); await receiver?.close(); });
afterEach(() => { sandbox.control.clearFaults(); });

describe('xihaike adapter against its sandbox', () => {
  it('gets a token with form-encoded client credentials, then submits the mapped pinyin fields', async () => {
    const input = await sampleSubmission('KS-GJJ-001', { caseRef: 'cs_xhk_submit' });
    const result = await adapter.submitCase(input);
    expect(result).toEqual({ partnerRef: expect.stringMatching(/^XHK\d{8}$/), state: 'received', at: expect.stringMatching(/Z$/) });
    const tokenCall = sandbox.control.requests.find((r) => r.path === '/oauth/token')!;
    expect(tokenCall.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenCall.body as string))).toEqual({ grant_type: 'client_credentials', client_id: 'gw-client', client_secret: 'gw-secret' });
    const sent = sandbox.control.requests.findLast((r) => r.method === 'POST' && r.path === '/api/v2/cases')!;
    expect(sent.headers.authorization).toMatch(/^Bearer xhk-/);
    expect(sent.body).toMatchObject({
      sxbm: SERVICE, wbbh: 'cs_xhk_submit', sqrxm: '张三', zjlx: '111', sfzh: '370211199001011234', lxdh: '13800138000',
      sjsj: '2025-03-01 10:30:00', sdfs: '2', yjdz: '山东省青岛市黄岛区长江中路 1 号',
      cllb: [{ clbm: 'id-card', clmc: 'id-card.pdf', wjlx: 'application/pdf', wjdx: 19, sha256: input.materials[0]!.sha256, wjnr: btoa('scan of the id card') }],
    });
    expect(sent.body).not.toHaveProperty('applicant');
  });

  it('maps numeric status codes and their details', async () => {
    const { partnerRef } = await submitted('cs_xhk_query');
    await sandbox.control.advance(partnerRef, 60, { kdgs: 'EMS', kddh: 'EA123456789CN', bz: '已寄出' });
    expect(await adapter.queryStatus(partnerRef)).toMatchObject({ partnerRef, state: 'shipped', note: '已寄出', data: { carrier: 'EMS', trackingNo: 'EA123456789CN' }, at: expect.stringMatching(/Z$/) });
    await sandbox.control.advance(partnerRef, 30, { bzcl: ['户口簿'], bzqx: '2025-03-10 17:00:00' });
    expect(await adapter.queryStatus(partnerRef)).toMatchObject({ state: 'supplement_requested', data: { items: ['户口簿'], deadline: '2025-03-10T09:00:00.000Z' } });
  });

  it('revokes a case, and revoking a revoked case is rejected (42201)', async () => {
    const { partnerRef } = await submitted('cs_xhk_revoke');
    await adapter.withdraw(partnerRef, '申请人撤回');
    expect(sandbox.control.requests.at(-1)).toMatchObject({ path: `/api/v2/cases/${partnerRef}/revoke`, body: { chyy: '申请人撤回' } });
    expect((await adapter.queryStatus(partnerRef)).state).toBe('withdrawn');
    const e = await expectAdapterError(adapter.withdraw(partnerRef, 'again'), 'rejected');
    expect(e.message).toContain('42201');
  });

  it('maps envelope codes: 40401 not_found, 42201 rejected with its reason, 40301 auth, 50000 unavailable', async () => {
    await expectAdapterError(adapter.queryStatus('XHK99999999'), 'not_found');
    const e = await expectAdapterError(adapter.submitCase(await sampleSubmission('KS-GJJ-002', { caseRef: 'cs_xhk_missing' })), 'rejected');
    expect(e.message).toContain('sfzh');
    sandbox.control.failNext({ kind: 'code', code: 40301, msg: '无权访问', path: '/api/v2' });
    await expectAdapterError(adapter.queryStatus('XHK00000001'), 'auth');
    sandbox.control.failNext({ kind: 'code', code: 50000, msg: '系统繁忙', path: '/api/v2' });
    expect((await expectAdapterError(adapter.queryStatus('XHK00000001'), 'unavailable')).retryable).toBe(true);
  });

  it('refuses an unmapped item before any call, and an unmapped status code naming it', async () => {
    const before = sandbox.control.requests.length;
    const e = await expectAdapterError(make().submitCase(await sampleSubmission('KS-NONE-001')), 'unmapped');
    expect(e.message).toContain('KS-NONE-001');
    expect(sandbox.control.requests.length).toBe(before);
    const { partnerRef } = await submitted('cs_xhk_unmapped');
    await sandbox.control.advance(partnerRef, 99);
    expect((await expectAdapterError(adapter.queryStatus(partnerRef), 'unmapped')).message).toContain('99');
  });

  it('turns a proxy 502, a timeout, malformed JSON, a non-envelope and off-schema data into typed errors', async () => {
    const { partnerRef } = await submitted('cs_xhk_faults');
    sandbox.control.failNext({ kind: 'status', status: 502, path: '/api/v2' });
    await expectAdapterError(adapter.queryStatus(partnerRef), 'unavailable');
    sandbox.control.failNext({ kind: 'delay', ms: 1500, path: '/api/v2' });
    await expectAdapterError(adapter.queryStatus(partnerRef), 'timeout');
    sandbox.control.failNext({ kind: 'malformed', path: '/api/v2' });
    await expectAdapterError(adapter.queryStatus(partnerRef), 'bad_response');
    sandbox.control.failNext({ kind: 'off_schema', path: '/api/v2' });
    await expectAdapterError(adapter.queryStatus(partnerRef), 'bad_response');
    sandbox.control.failNext({ kind: 'code', code: 0, path: '/api/v2' }); // code 0 but no data
    await expectAdapterError(adapter.queryStatus(partnerRef), 'bad_response');
    expect((await adapter.queryStatus(partnerRef)).state).toBe('received');
  });

  it('reports health without a token, and a failing one as not ok', async () => {
    expect(await adapter.health()).toMatchObject({ ok: true });
    sandbox.control.failNext({ kind: 'delay', ms: 1000, path: '/api/v2/health' });
    expect(await adapter.health()).toMatchObject({ ok: false, detail: expect.stringContaining('timeout') });
  });
});

describe('xihaike supplements (POST /api/v2/cases/{ajid}/supplement)', () => {
  async function waitingForSupplements(caseRef: string, before?: number) {
    const { partnerRef } = await submitted(caseRef);
    if (before !== undefined) await sandbox.control.advance(partnerRef, before);
    await sandbox.control.advance(partnerRef, 30, { bzcl: ['户口簿'], bzqx: '2025-03-10 17:00:00' });
    return partnerRef;
  }

  it('sends 补正材料 as cllb with the bearer token; the case returns to the zt it had (20 受理)', async () => {
    const partnerRef = await waitingForSupplements('cs_xhk_supp', 20);
    const extra = await material('household-register', 'scan of the household register');
    await adapter.provideSupplement(partnerRef, [extra], '补正户口簿');
    const sent = sandbox.control.requests.at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', path: `/api/v2/cases/${partnerRef}/supplement`, headers: { authorization: expect.stringMatching(/^Bearer xhk-/) }, body: { bzsm: '补正户口簿' } });
    expect((sent.body as { cllb: unknown[] }).cllb).toEqual([{ clbm: 'household-register', clmc: extra.name, wjlx: extra.mediaType, wjdx: extra.size, sha256: extra.sha256, wjnr: btoa('scan of the household register') }]);
    const k = sandbox.control.cases.get(partnerRef)!;
    expect(k).toMatchObject({ zt: 20, bzjl: [expect.objectContaining({ bzsm: '补正户口簿' })] });
    expect(await adapter.queryStatus(partnerRef)).toMatchObject({ state: 'accepted' });
  });

  it('a repeat of the same supplement succeeds; another to a case not in 30 补正 is rejected (42201)', async () => {
    const partnerRef = await waitingForSupplements('cs_xhk_supp_again');
    const extra = await material('household-register', 'register');
    await adapter.provideSupplement(partnerRef, [extra]);
    expect((await adapter.queryStatus(partnerRef)).state).toBe('received');
    await adapter.provideSupplement(partnerRef, [extra]);
    expect(sandbox.control.cases.get(partnerRef)!.bzjl).toHaveLength(1);
    const e = await expectAdapterError(adapter.provideSupplement(partnerRef, [await material('other', 'else')]), 'rejected');
    expect(e.message).toContain('42201');
    await expectAdapterError(adapter.provideSupplement('XHK99999999', [extra]), 'not_found');
  });

  it('a file whose sha256 does not match is rejected, and the case stays in 补正', async () => {
    const partnerRef = await waitingForSupplements('cs_xhk_supp_bad');
    const bad = { ...(await material('household-register', 'register')), sha256: 'f'.repeat(64) };
    expect((await expectAdapterError(adapter.provideSupplement(partnerRef, [bad]), 'rejected')).message).toContain('文件校验失败');
    expect(sandbox.control.cases.get(partnerRef)!.zt).toBe(30);
  });

  it('50000 and a proxy 502 are retryable, a silent back office a timeout, a malformed answer bad_response', async () => {
    const partnerRef = await waitingForSupplements('cs_xhk_supp_faults');
    const extra = await material('household-register', 'register');
    sandbox.control.failNext({ kind: 'code', code: 50000, msg: '系统繁忙', path: '/api/v2' });
    expect((await expectAdapterError(adapter.provideSupplement(partnerRef, [extra]), 'unavailable')).retryable).toBe(true);
    sandbox.control.failNext({ kind: 'status', status: 502, path: '/api/v2' });
    expect((await expectAdapterError(adapter.provideSupplement(partnerRef, [extra]), 'unavailable')).retryable).toBe(true);
    sandbox.control.failNext({ kind: 'delay', ms: 1500, path: '/api/v2' });
    expect((await expectAdapterError(adapter.provideSupplement(partnerRef, [extra]), 'timeout')).retryable).toBe(true);
    sandbox.control.failNext({ kind: 'malformed', path: '/api/v2' });
    await expectAdapterError(adapter.provideSupplement(partnerRef, [extra]), 'bad_response');
    sandbox.control.failNext({ kind: 'code', code: 0, path: '/api/v2' }); // code 0 but no data
    await expectAdapterError(adapter.provideSupplement(partnerRef, [extra]), 'bad_response');
  });
});

describe('xihaike tokens', () => {
  it('refreshes an expired token (40101) exactly once and retries the call', async () => {
    const { partnerRef } = await submitted('cs_xhk_expired');
    sandbox.control.expireTokens();
    const tokensBefore = tokenRequests();
    const from = sandbox.control.requests.length;
    expect((await adapter.queryStatus(partnerRef)).state).toBe('received');
    expect(tokenRequests()).toBe(tokensBefore + 1);
    const calls = sandbox.control.requests.slice(from);
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v2/cases/${partnerRef}`, 'POST /oauth/token', `GET /api/v2/cases/${partnerRef}`]);
    expect(calls[0]!.headers.authorization).not.toBe(calls[2]!.headers.authorization);
  });

  it('shares one refresh among concurrent calls', async () => {
    const { partnerRef } = await submitted('cs_xhk_concurrent');
    sandbox.control.expireTokens();
    const tokensBefore = tokenRequests();
    const reports = await Promise.all(Array.from({ length: 8 }, () => adapter.queryStatus(partnerRef)));
    expect(reports.every((r) => r.state === 'received')).toBe(true);
    expect(tokenRequests()).toBe(tokensBefore + 1);
  });

  it('a fresh adapter under concurrent first calls asks for one token', async () => {
    const fresh = make();
    const tokensBefore = tokenRequests();
    await Promise.all(Array.from({ length: 5 }, (_, i) => submitted(`cs_xhk_first_${i}`, fresh)));
    expect(tokenRequests()).toBe(tokensBefore + 1);
  });

  it('gives up with auth when the refreshed token is refused too', async () => {
    const { partnerRef } = await submitted('cs_xhk_refused');
    const tokensBefore = tokenRequests();
    sandbox.control.failNext({ kind: 'code', code: 40101, path: '/api/v2' });
    sandbox.control.failNext({ kind: 'code', code: 40101, path: '/api/v2' });
    await expectAdapterError(adapter.queryStatus(partnerRef), 'auth');
    expect(tokenRequests()).toBe(tokensBefore + 1);
  });

  it('renews the token 60 s before it expires, without a refused call', async () => {
    const clock = fixedClock(Date.now());
    const a = make(ENV, clock);
    const { partnerRef } = await submitted('cs_xhk_early', a);
    const tokensBefore = tokenRequests();
    clock.advance((7200 - 61) * 1000);
    await a.queryStatus(partnerRef);
    expect(tokenRequests()).toBe(tokensBefore);
    clock.advance(2_000);
    const from = sandbox.control.requests.length;
    await a.queryStatus(partnerRef);
    expect(tokenRequests()).toBe(tokensBefore + 1);
    expect(sandbox.control.requests.slice(from).map((r) => r.path)).toEqual(['/oauth/token', `/api/v2/cases/${partnerRef}`]);
  });

  it('reports bad client credentials (40102) and unset ones as auth', async () => {
    await expectAdapterError(make({ ...ENV, XHK_CLIENT_SECRET: 'wrong' }).queryStatus('XHK00000001'), 'auth');
    const e = await expectAdapterError(make({}).queryStatus('XHK00000001'), 'auth');
    expect(e.message).toContain('XHK_CLIENT_ID');
  });

  it('a failed token request fails every waiting call with the same typed error', async () => {
    const a = make();
    sandbox.control.failNext({ kind: 'status', status: 500, path: '/oauth/token' });
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => a.queryStatus('XHK00000001')));
    expect(results.map((r) => r.status === 'rejected' && (r.reason as { kind: string }).kind)).toEqual(['unavailable', 'unavailable', 'unavailable', 'unavailable']);
  });
});

describe('xihaike paged status listing', () => {
  it('walks every page of cases updated since a time', async () => {
    sandbox.control.seed(Array.from({ length: 120 }, (_, i) => ({ wbbh: `cs_page_${i}`, zt: i % 2 ? 20 : 40, gxsj: `2031-01-01 08:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}` })));
    const from = sandbox.control.requests.length;
    const reports = await adapter.listUpdatedSince('2031-01-01T00:00:00Z'); // 08:00:00 in Beijing
    expect(reports).toHaveLength(120);
    expect(reports.filter((r) => r.state === 'approved')).toHaveLength(60);
    expect(reports[0]).toMatchObject({ state: 'approved', at: '2031-01-01T00:00:00.000Z' });
    const pages = sandbox.control.requests.slice(from).filter((r) => r.path === '/api/v2/cases');
    expect(pages.map((r) => r.query)).toEqual([1, 2, 3].map((page) => ({ updatedSince: '2031-01-01 08:00:00', page: String(page), pageSize: '50' })));
    expect(await adapter.listUpdatedSince('2031-01-02T00:00:00Z')).toEqual([]);
  });
});

describe('xihaike callbacks', () => {
  const sign = async (body: string, timestamp: number, secret = ENV.XHK_CALLBACK_SECRET) => ({
    headers: new Headers({ 'x-xhk-timestamp': String(timestamp), 'x-xhk-signature': hex(await hmacSha256(secret, utf8(`${timestamp}.${body}`))) }),
    body: utf8(body),
  });
  const now = () => Math.floor(Date.now() / 1000);
  const notice = (zt: number) => JSON.stringify({ tzlb: [{ tzid: 'TZ1', ajid: 'XHK00000001', wbbh: 'cs_1', sxbm: SERVICE, zt, gxsj: '2025-03-02 09:00:00' }] });

  it('maps a callback the sandbox signed and posted', async () => {
    const { partnerRef } = await submitted('cs_xhk_callback');
    const { delivery } = await sandbox.control.advance(partnerRef, 40, { zsbh: '青西审批[2025]001号' });
    expect(delivery).toEqual({ status: 204 });
    const events = await adapter.parseCallback(receiver.received.at(-1)!);
    expect(events).toEqual([{ eventId: expect.stringMatching(/^TZ/), caseRef: 'cs_xhk_callback', partnerRef, state: 'approved', at: expect.stringMatching(/Z$/), data: { documentNo: '青西审批[2025]001号' } }]);
  });

  it('refuses a bad signature, a stale or missing timestamp and a bad body', async () => {
    const body = notice(20);
    await expectAdapterError(adapter.parseCallback(await sign(body, now(), 'wrong-secret')), 'bad_callback');
    await expectAdapterError(adapter.parseCallback(await sign(body, now() - 301)), 'bad_callback');
    await expectAdapterError(adapter.parseCallback(await sign(body, now() + 301)), 'bad_callback');
    const good = await sign(body, now());
    await expectAdapterError(adapter.parseCallback({ headers: new Headers({ 'x-xhk-signature': good.headers.get('x-xhk-signature')! }), body: good.body }), 'bad_callback');
    // The timestamp is under the MAC: a fresh timestamp on an old signature does not verify.
    const old = await sign(body, now() - 3600);
    await expectAdapterError(adapter.parseCallback({ headers: new Headers({ 'x-xhk-timestamp': String(now()), 'x-xhk-signature': old.headers.get('x-xhk-signature')! }), body: old.body }), 'bad_callback');
    await expectAdapterError(adapter.parseCallback(await sign('not json', now())), 'bad_callback');
    await expectAdapterError(adapter.parseCallback(await sign(JSON.stringify({ tzlb: [] }), now())), 'bad_callback');
    expect(await adapter.parseCallback(await sign(body, now()))).toMatchObject([{ eventId: 'TZ1', caseRef: 'cs_1', state: 'accepted', at: '2025-03-02T01:00:00.000Z' }]);
  });

  it('refuses a signed callback with an unmapped status as unmapped', async () => {
    expect((await expectAdapterError(adapter.parseCallback(await sign(notice(77), now())), 'unmapped')).message).toContain('77');
  });
});
