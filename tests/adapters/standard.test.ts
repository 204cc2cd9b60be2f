import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStandardAdapter } from '../../adapters/standard/index';
import { startSandbox, type StandardSandbox } from '../../adapters/standard/sandbox';
import type { RunningSandbox } from '../../adapters/common/sandbox-kit';
import { hmacSha256 } from '../../adapters/common/signature';
import type { PartnerAdapter } from '../../adapters/types';
import { hex, utf8 } from '../../src/lib/encoding';
import type { PartnerConfig } from '../../src/services/partners/schema';
import { freePort } from '../support/http';
import { adapterContext, callbackReceiver, expectAdapterError, failOnUnhandledRejections, material, partnerConfig, sampleSubmission } from './support/harness';

failOnUnhandledRejections();

const ENV = { STD_API_KEY: 'key-1', STD_CALLBACK_SECRET: 'cb-secret-1' };
let sandbox: StandardSandbox & RunningSandbox;
let receiver: Awaited<ReturnType<typeof callbackReceiver>>;
let partner: PartnerConfig;
let adapter: PartnerAdapter;

const standardPartner = (baseUrl: string, callbackUrl: string) => partnerConfig({
  member: 'std-member', name: '标准接口成员', adapter: 'standard',
  backOffice: { baseUrl, timeoutMs: 200 },
  auth: { apiKey: 'STD_API_KEY', callbackSecret: 'STD_CALLBACK_SECRET' },
  options: { callbackUrl },
  statusMap: { in_review: 'accepted' },
  agreements: [],
  items: {
    'KS-GJJ-001': {
      serviceCode: 'STD-SVC-001',
      fieldMap: { 'applicant.name': 'applicant_name', 'applicant.idType': 'id_type', 'applicant.idNumber': 'id_number', 'applicant.phone': 'phone', 'delivery.method': 'delivery' },
    },
    'KS-GJJ-002': { serviceCode: 'STD-SVC-GONE', fieldMap: { 'applicant.name': 'applicant_name', 'applicant.idType': 'id_type', 'applicant.idNumber': 'id_number' } },
  },
});

beforeAll(async () => {
  receiver = await callbackReceiver();
  sandbox = await startSandbox({ apiKey: ENV.STD_API_KEY, callbackSecret: ENV.STD_CALLBACK_SECRET, services: { 'STD-SVC-001': ['applicant_name', 'id_type', 'id_number'] } });
  partner = standardPartner(sandbox.url, receiver.url);
  adapter = createStandardAdapter(adapterContext({ partner, env: ENV }));
});
afterAll(async () => { await sandbox?.close(); await receiver?.close(); });
afterEach(() => { sandbox.control.clearFaults(); });

async function submitted(caseRef: string) {
  return adapter.submitCase(await sampleSubmission('KS-GJJ-001', { caseRef }));
}

describe('standard adapter against its sandbox', () => {
  it('submits a case with the mapped field names and values and the bearer key', async () => {
    const input = await sampleSubmission('KS-GJJ-001', { caseRef: 'cs_submit_1' });
    const result = await adapter.submitCase(input);
    expect(result).toEqual({ partnerRef: expect.stringMatching(/^SC-\d{6}$/), state: 'received', at: expect.any(String) });
    const sent = sandbox.control.requests.findLast((r) => r.method === 'POST' && r.path === '/api/cases')!;
    expect(sent.headers.authorization).toBe('Bearer key-1');
    expect(sent.body).toMatchObject({
      serviceCode: 'STD-SVC-001', externalRef: 'cs_submit_1', mode: 'proxy_intake', callbackUrl: receiver.url,
      fields: { applicant_name: '张三', id_type: '111', id_number: '370211199001011234', phone: '13800138000', delivery: 'post' },
    });
    const material = (sent.body as { materials: { content: string; sha256: string }[] }).materials[0]!;
    expect(atob(material.content)).toBe('scan of the id card');
    expect(material.sha256).toBe(input.materials[0]!.sha256);
    expect(sandbox.control.cases.get(result.partnerRef)?.externalRef).toBe('cs_submit_1');
  });

  it('answers a repeated submission with the same case', async () => {
    const first = await submitted('cs_repeat');
    const again = await submitted('cs_repeat');
    expect(again.partnerRef).toBe(first.partnerRef);
  });

  it('maps the queried status, with the note and data of its event', async () => {
    const { partnerRef } = await submitted('cs_query');
    await sandbox.control.advance(partnerRef, 'supplement_requested', { note: '请补充户口簿', data: { items: ['household-register'], deadline: '2025-03-10T00:00:00Z' } });
    expect(await adapter.queryStatus(partnerRef)).toMatchObject({
      partnerRef, state: 'supplement_requested', note: '请补充户口簿', data: { items: ['household-register'], deadline: '2025-03-10T00:00:00Z' },
    });
    await sandbox.control.advance(partnerRef, 'in_review');
    expect((await adapter.queryStatus(partnerRef)).state).toBe('accepted'); // through the partner-wide statusMap
  });

  it('withdraws a case, and a second withdrawal is rejected (409)', async () => {
    const { partnerRef } = await submitted('cs_withdraw');
    await adapter.withdraw(partnerRef, '申请人撤回');
    expect(sandbox.control.requests.at(-1)).toMatchObject({ path: `/api/cases/${partnerRef}/withdraw`, body: { reason: '申请人撤回' } });
    expect((await adapter.queryStatus(partnerRef)).state).toBe('withdrawn');
    const e = await expectAdapterError(adapter.withdraw(partnerRef, 'again'), 'rejected');
    expect(e.message).toContain('Invalid transition');
    expect(e.retryable).toBe(false);
  });

  it('turns 404 into not_found and 422 into rejected with the partner reason', async () => {
    await expectAdapterError(adapter.queryStatus('SC-999999'), 'not_found');
    const e = await expectAdapterError(adapter.submitCase(await sampleSubmission('KS-GJJ-002')), 'rejected');
    expect(e.message).toContain('Unknown service');
  });

  it('refuses an item the partner file does not map, without calling the partner', async () => {
    const before = sandbox.control.requests.length;
    const e = await expectAdapterError(adapter.submitCase(await sampleSubmission('KS-NONE-001')), 'unmapped');
    expect(e.message).toContain('KS-NONE-001');
    expect(sandbox.control.requests.length).toBe(before);
  });

  it('refuses a status no table maps, naming it', async () => {
    const { partnerRef } = await submitted('cs_unmapped');
    await sandbox.control.advance(partnerRef, 'archived');
    const e = await expectAdapterError(adapter.queryStatus(partnerRef), 'unmapped');
    expect(e.message).toContain('archived');
  });

  it('reports refused credentials and a missing secret as auth errors', async () => {
    const wrong = createStandardAdapter(adapterContext({ partner, env: { ...ENV, STD_API_KEY: 'not-the-key' } }));
    await expectAdapterError(wrong.queryStatus('SC-000001'), 'auth');
    const before = sandbox.control.requests.length;
    const unset = createStandardAdapter(adapterContext({ partner, env: {} }));
    const e = await expectAdapterError(unset.queryStatus('SC-000001'), 'auth');
    expect(e.message).toContain('STD_API_KEY');
    expect(sandbox.control.requests.length).toBe(before);
  });

  it('turns 5xx and a refused connection into retryable unavailable', async () => {
    sandbox.control.failNext({ kind: 'status', status: 503 });
    expect((await expectAdapterError(adapter.queryStatus('SC-000001'), 'unavailable')).retryable).toBe(true);
    const closed = createStandardAdapter(adapterContext({ partner: standardPartner(`http://127.0.0.1:${await freePort()}`, receiver.url), env: ENV }));
    await expectAdapterError(closed.queryStatus('SC-000001'), 'unavailable');
  });

  it('gives up after the partner timeout with a retryable timeout', async () => {
    const { partnerRef } = await submitted('cs_timeout');
    sandbox.control.failNext({ kind: 'delay', ms: 1500 });
    const started = Date.now();
    expect((await expectAdapterError(adapter.queryStatus(partnerRef), 'timeout')).retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('calls malformed JSON and off-schema JSON bad_response', async () => {
    sandbox.control.failNext({ kind: 'malformed' });
    await expectAdapterError(adapter.queryStatus('SC-000001'), 'bad_response');
    sandbox.control.failNext({ kind: 'off_schema' });
    await expectAdapterError(adapter.submitCase(await sampleSubmission('KS-GJJ-001', { caseRef: 'cs_off' })), 'bad_response');
  });

  it('ends every failure as an AdapterError even when many fail at once', async () => {
    for (const fault of [{ kind: 'malformed' }, { kind: 'status', status: 500 }, { kind: 'delay', ms: 800 }, { kind: 'off_schema' }] as const) sandbox.control.failNext(fault);
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => adapter.queryStatus('SC-000001')));
    expect(results.map((r) => r.status === 'rejected' && (r.reason as { kind: string }).kind).sort()).toEqual(['bad_response', 'bad_response', 'timeout', 'unavailable']);
  });

  it('reports health, and a failing health check as not ok without throwing', async () => {
    expect(await adapter.health()).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
    sandbox.control.failNext({ kind: 'status', status: 500, path: '/api/health' });
    expect(await adapter.health()).toMatchObject({ ok: false, detail: expect.stringContaining('unavailable') });
  });
});

describe('standard supplements (POST /api/cases/{id}/supplements)', () => {
  async function waitingForSupplements(caseRef: string, before?: string) {
    const { partnerRef } = await submitted(caseRef);
    if (before) await sandbox.control.advance(partnerRef, before);
    await sandbox.control.advance(partnerRef, 'supplement_requested', { data: { items: ['household-register'], deadline: '2025-03-10T00:00:00Z' } });
    return partnerRef;
  }

  it('passes the materials with their sha256 and the note; the case returns to the status it had', async () => {
    const partnerRef = await waitingForSupplements('cs_supp_ok', 'accepted');
    const extra = await material('household-register', 'scan of the household register');
    await adapter.provideSupplement(partnerRef, [extra], '补正户口簿');
    const sent = sandbox.control.requests.at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', path: `/api/cases/${partnerRef}/supplements`, headers: { authorization: 'Bearer key-1' }, body: { note: '补正户口簿' } });
    const [m] = (sent.body as { materials: { requirement: string; size: number; sha256: string; content: string }[] }).materials;
    expect(m).toMatchObject({ requirement: 'household-register', size: extra.size, sha256: extra.sha256 });
    expect(atob(m!.content)).toBe('scan of the household register');
    const k = sandbox.control.cases.get(partnerRef)!;
    expect(k.supplements).toEqual([expect.objectContaining({ note: '补正户口簿', materials: [expect.objectContaining({ sha256: extra.sha256 })] })]);
    expect((await adapter.queryStatus(partnerRef)).state).toBe('accepted');
  });

  it('a repeat of the same supplement succeeds; another to a case not waiting for one is rejected (409)', async () => {
    const partnerRef = await waitingForSupplements('cs_supp_409');
    const extra = await material('household-register', 'register');
    await adapter.provideSupplement(partnerRef, [extra]);
    expect((await adapter.queryStatus(partnerRef)).state).toBe('received');
    await adapter.provideSupplement(partnerRef, [extra]); // its answer was lost: the same again
    expect(sandbox.control.cases.get(partnerRef)!.supplements).toHaveLength(1);
    const e = await expectAdapterError(adapter.provideSupplement(partnerRef, [await material('other', 'something else')]), 'rejected');
    expect(e.message).toContain('not waiting for supplements');
    expect(e.retryable).toBe(false);
  });

  it('a material whose sha256 does not match is rejected (422); an unknown case is not_found', async () => {
    const partnerRef = await waitingForSupplements('cs_supp_422');
    const bad = { ...(await material('household-register', 'register')), sha256: '0'.repeat(64) };
    expect((await expectAdapterError(adapter.provideSupplement(partnerRef, [bad]), 'rejected')).message).toContain('Material mismatch');
    expect(sandbox.control.cases.get(partnerRef)!.status).toBe('supplement_requested');
    await expectAdapterError(adapter.provideSupplement('SC-999999', [await material('x', 'y')]), 'not_found');
  });

  it('a 5xx is retryable unavailable, a silent partner a retryable timeout, a malformed answer bad_response', async () => {
    const partnerRef = await waitingForSupplements('cs_supp_faults');
    const extra = await material('household-register', 'register');
    sandbox.control.failNext({ kind: 'status', status: 503, path: '/api/cases' });
    expect((await expectAdapterError(adapter.provideSupplement(partnerRef, [extra]), 'unavailable')).retryable).toBe(true);
    sandbox.control.failNext({ kind: 'delay', ms: 1500, path: '/api/cases' });
    expect((await expectAdapterError(adapter.provideSupplement(partnerRef, [extra]), 'timeout')).retryable).toBe(true);
    sandbox.control.failNext({ kind: 'malformed', path: '/api/cases' });
    await expectAdapterError(adapter.provideSupplement(partnerRef, [extra]), 'bad_response');
    sandbox.control.failNext({ kind: 'off_schema', path: '/api/cases' });
    await expectAdapterError(adapter.provideSupplement(partnerRef, [extra]), 'bad_response');
  });
});

describe('standard callbacks', () => {
  const signed = async (body: unknown, secret = ENV.STD_CALLBACK_SECRET) => {
    const bytes = utf8(typeof body === 'string' ? body : JSON.stringify(body));
    return { headers: new Headers({ 'x-signature': `sha256=${hex(await hmacSha256(secret, bytes))}` }), body: bytes };
  };

  it('maps a callback the sandbox signed and posted to an event', async () => {
    const { partnerRef } = await submitted('cs_callback');
    const { event, delivery } = await sandbox.control.advance(partnerRef, 'shipped', { data: { carrier: 'EMS', trackingNo: 'EA123456789CN' } });
    expect(delivery).toEqual({ status: 204 });
    const raw = receiver.received.at(-1)!;
    expect(await adapter.parseCallback(raw)).toEqual([{
      eventId: event.id, caseRef: 'cs_callback', partnerRef, state: 'shipped', at: event.at, data: { carrier: 'EMS', trackingNo: 'EA123456789CN' },
    }]);
  });

  it('refuses a wrong, missing or tampered signature', async () => {
    const body = { eventId: 'ev-x', caseId: 'SC-000001', status: 'accepted', at: '2025-03-01T00:00:00Z' };
    await expectAdapterError(adapter.parseCallback(await signed(body, 'another-secret')), 'bad_callback');
    await expectAdapterError(adapter.parseCallback({ headers: new Headers(), body: utf8(JSON.stringify(body)) }), 'bad_callback');
    const good = await signed(body);
    await expectAdapterError(adapter.parseCallback({ headers: good.headers, body: utf8(JSON.stringify({ ...body, status: 'approved' })) }), 'bad_callback');
  });

  it('refuses a signed body that is not JSON or off its schema', async () => {
    await expectAdapterError(adapter.parseCallback(await signed('{"eventId":')), 'bad_callback');
    await expectAdapterError(adapter.parseCallback(await signed({ eventId: 'ev-y', status: 'accepted' })), 'bad_callback');
  });

  it('refuses a signed callback with an unmapped status as unmapped', async () => {
    const e = await expectAdapterError(adapter.parseCallback(await signed({ eventId: 'ev-z', caseId: 'SC-000001', status: 'teleported', at: '2025-03-01T00:00:00Z' })), 'unmapped');
    expect(e.message).toContain('teleported');
  });
});
