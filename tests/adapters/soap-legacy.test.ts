import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adapterFactory } from '../../adapters/registry';
import { soapLegacyAdapter } from '../../adapters/soap-legacy/index';
import { startSandbox, type SandboxControl } from '../../adapters/soap-legacy/sandbox';
import { encodeGbk } from '../../adapters/soap-legacy/sandbox-gbk';
import { AdapterError, type AdapterContext, type CaseSubmission, type PartnerAdapter } from '../../adapters/types';
import { systemClock } from '../../src/lib/clock';
import { silentLogger } from '../../src/lib/logger';
import { partnerSchema } from '../../src/services/partners/schema';

const NS = 'http://gov.example.cn/case/v1';
const SECRETS: Record<string, string> = { CASE_WS_USER: 'sandbox', CASE_WS_PASSWORD: 'sandbox-secret', WRONG_PASSWORD: 'guess' };
const FIELD_MAP = {
  'applicant.name': 'SQRXM', 'applicant.idType': 'ZJLX', 'applicant.idNumber': 'ZJHM', 'applicant.phone': 'LXDH',
  'intake.receivedAt': 'SJSJ', 'form.companyName': 'QYMC', 'delivery.address': 'SDDZ',
};

function partnerFile(baseUrl: string, over: { timeoutMs?: number; password?: string; options?: unknown } = {}) {
  return partnerSchema.parse({
    member: 'gx-case-ws', name: '广西政务服务（测试）', adapter: 'soap-legacy',
    backOffice: { baseUrl, timeoutMs: over.timeoutMs ?? 3000 },
    auth: { username: 'CASE_WS_USER', password: over.password ?? 'CASE_WS_PASSWORD' },
    options: over.options ?? {},
    statusMap: { SJ: 'received', SL: 'accepted', BYSL: 'rejected', BZ: 'supplement_requested', 'BJ-ZY': 'approved', 'BJ-BY': 'denied', CZ: 'result_issued', CH: 'withdrawn' },
    agreements: [],
    items: {
      'KS-SCZT-001': { serviceCode: '450000-XK-0001', fieldMap: FIELD_MAP },
      // 即办件: the approval is the result, so this item reads BJ-ZY as result_issued.
      'KS-JBJ-002': { serviceCode: '450000-JB-0002', fieldMap: FIELD_MAP, statusMap: { 'BJ-ZY': 'result_issued' } },
      'KS-WZ-003': { serviceCode: '450000-WZ-9999', fieldMap: FIELD_MAP },
    },
  });
}

function adapterFor(baseUrl: string, over: Parameters<typeof partnerFile>[1] = {}): PartnerAdapter {
  const ctx: AdapterContext = { partner: partnerFile(baseUrl, over), fetch: globalThis.fetch, clock: systemClock, logger: silentLogger, secret: (n) => SECRETS[n] };
  return soapLegacyAdapter.create(ctx);
}

const CONTENT = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 256);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function submission(over: Partial<CaseSubmission> = {}): CaseSubmission {
  return {
    caseRef: `cs_${Math.random().toString(36).slice(2, 10)}`, itemCode: 'KS-SCZT-001', mode: 'proxy_intake',
    applicant: { kind: 'person', name: '王<小>明&"\'', idType: '111', idNumber: '110105199001011234' },
    intake: { member: 'gaoxin', window: 'w-01', clerk: '李四', receivedAt: '2025-05-01T02:00:00Z' },
    materials: [{ requirement: 'id-card', name: '身份证 <正反面> & 复印件.pdf', mediaType: 'application/pdf', size: CONTENT.length, sha256: sha(CONTENT), content: CONTENT }],
    form: { companyName: 'A&B <测试> 有限公司', ignored: 'not mapped' },
    delivery: { method: 'post', address: '南宁市青秀区\r\n民族大道 1 号' },
    ...over,
  };
}

async function kindOf(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e) {
    expect(e).toBeInstanceOf(AdapterError);
    return (e as AdapterError).kind;
  }
  throw new Error('expected an AdapterError');
}

const reader = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true, htmlEntities: true, isArray: (n) => n === 'material' });

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let control: SandboxControl;
let adapter: PartnerAdapter;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => { unhandled.push(e); };

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  sandbox = await startSandbox({ requiredFields: ['SQRXM', 'ZJHM'], serviceCodes: ['450000-XK-0001', '450000-JB-0002'] });
  control = sandbox.control;
  adapter = adapterFor(sandbox.url);
});
afterEach(() => {
  control.setCharset('utf-8');
  expect(unhandled).toEqual([]);
});
afterAll(async () => {
  await sandbox.close();
  process.off('unhandledRejection', onUnhandled);
});

describe('soap-legacy: SubmitCase', () => {
  it('sends the mapped fields escaped, the material as base64 with its sha256, under WS-Security', async () => {
    const input = submission();
    const result = await adapter.submitCase(input);
    expect(result).toMatchObject({ partnerRef: expect.stringMatching(/^SX\d{10}$/), state: 'received' });
    expect(Date.parse(result.at)).not.toBeNaN();

    const call = control.received.at(-1)!;
    expect(call.soapAction).toBe(`"${NS}/SubmitCase"`);
    expect(call.contentType).toBe('text/xml; charset=utf-8');
    expect(call.xml).toContain('<wsse:Username>sandbox</wsse:Username>');
    expect(call.xml).toContain('<cs:SQRXM>王&lt;小&gt;明&amp;&quot;&apos;</cs:SQRXM>');
    expect(call.xml).toContain('<cs:QYMC>A&amp;B &lt;测试&gt; 有限公司</cs:QYMC>');
    expect(call.xml).toContain('<cs:SDDZ>南宁市青秀区&#13;\n民族大道 1 号</cs:SDDZ>');
    expect(call.xml).toContain(`<cs:sha256>${sha(CONTENT)}</cs:sha256>`);
    expect(call.xml).toContain(`<cs:content>${Buffer.from(CONTENT).toString('base64')}</cs:content>`);
    expect(call.xml).not.toContain('LXDH'); // no phone: the element is left out, not sent empty
    expect(call.xml).not.toContain('not mapped');

    const body = reader.parse(call.xml).Envelope.Body.SubmitCase;
    expect(body.serviceCode).toBe('450000-XK-0001');
    expect(body.externalRef).toBe(input.caseRef);
    expect(body.applyData).toEqual({
      SQRXM: input.applicant.name, ZJLX: '111', ZJHM: '110105199001011234', SJSJ: '2025-05-01T02:00:00Z',
      QYMC: 'A&B <测试> 有限公司', SDDZ: '南宁市青秀区\r\n民族大道 1 号',
    });
    expect(body.materials.material[0].name).toBe('身份证 <正反面> & 复印件.pdf');
    // The sandbox checked the digest over the decoded base64 too.
    const stored = control.cases.get(result.partnerRef)!;
    expect(stored.materials[0]!.content).toEqual(CONTENT);
    expect(stored.applyData.SQRXM).toBe(input.applicant.name);
  });

  it('gets the same case back when a submission is retried', async () => {
    const input = submission();
    const first = await adapter.submitCase(input);
    expect((await adapter.submitCase(input)).partnerRef).toBe(first.partnerRef);
  });

  it('refuses an item the partner file does not map, before any request', async () => {
    const before = control.received.length;
    const err = await adapter.submitCase(submission({ itemCode: 'KS-NONE-404' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AdapterError', kind: 'unmapped', message: expect.stringContaining('KS-NONE-404') });
    expect(control.received.length).toBe(before);
  });

  it('maps a material whose digest the province rejects (E1003) to rejected', async () => {
    const bad = submission();
    bad.materials = [{ ...bad.materials[0]!, sha256: '0'.repeat(64) }];
    const err = await adapter.submitCase(bad).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'rejected', retryable: false, message: expect.stringContaining('E1003') });
  });

  it('maps a service code the province does not know (E1005) to not_found', async () => {
    expect(await kindOf(adapter.submitCase(submission({ itemCode: 'KS-WZ-003' })))).toBe('not_found');
  });
});

describe('soap-legacy: QueryCase', () => {
  async function caseIn(statusCode: string, extra = {}, itemCode = 'KS-SCZT-001') {
    const { partnerRef } = await adapter.submitCase(submission({ itemCode }));
    control.advance(partnerRef, statusCode, extra);
    return partnerRef;
  }
  const supplement = { opinion: '补正材料：身份证复印件', items: ['身份证复印件', '营业执照副本'], deadline: '2025-06-30 17:00:00', statusTime: '2025-06-01 09:30:00' };

  it('maps the partner-wide statuses', async () => {
    for (const [code, state] of [['SL', 'accepted'], ['BYSL', 'rejected'], ['BJ-ZY', 'approved'], ['BJ-BY', 'denied'], ['CZ', 'result_issued']] as const) {
      const ref = await caseIn(code);
      expect((await adapter.queryStatus(ref)).state).toBe(state);
    }
  });

  it('prefers the item statusMap over the partner-wide one', async () => {
    expect((await adapter.queryStatus(await caseIn('BJ-ZY', {}, 'KS-JBJ-002'))).state).toBe('result_issued');
  });

  it.each([
    ['UTF-8', 'utf-8', 'both'],
    ['GBK declared in Content-Type and the XML declaration', 'gbk', 'both'],
    ['GBK declared in Content-Type only', 'gbk', 'header'],
    ['GBK declared in the XML declaration only', 'gbk', 'declaration'],
  ] as const)('decodes a supplement request in %s', async (_label, charset, declare) => {
    const ref = await caseIn('BZ', { ...supplement, documentNo: '桂审批〔2025〕12号' });
    control.setCharset(charset, declare);
    const report = await adapter.queryStatus(ref);
    expect(report).toEqual({
      partnerRef: ref, state: 'supplement_requested', at: '2025-06-01T01:30:00.000Z', note: '补正材料：身份证复印件',
      data: { items: ['身份证复印件', '营业执照副本'], deadline: '2025-06-30T09:00:00.000Z', documentNo: '桂审批〔2025〕12号' },
    });
  });

  it('really answers in GBK bytes when told to (so the test above is not vacuous)', async () => {
    const ref = await caseIn('BZ', supplement);
    control.setCharset('gbk', 'header');
    const raw = await fetch(`${sandbox.url}/services/CaseService`, {
      method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${NS}/QueryCase"` },
      body: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><w:Security xmlns:w="x"><w:UsernameToken><w:Username>sandbox</w:Username><w:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">sandbox-secret</w:Password></w:UsernameToken></w:Security></s:Header><s:Body><c:QueryCase xmlns:c="${NS}"><c:caseNo>${ref}</c:caseNo></c:QueryCase></s:Body></s:Envelope>`,
    });
    expect(raw.headers.get('content-type')).toBe('text/xml; charset=GBK');
    const bytes = new Uint8Array(await raw.arrayBuffer());
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    expect(new TextDecoder('gbk').decode(bytes)).toContain('补正材料：身份证复印件');
  });

  it('keeps a character GBK lacks, sent as a character reference', async () => {
    const ref = await caseIn('BZ', { opinion: '申请人姓名“𠮷”与证件不符' });
    control.setCharset('gbk');
    expect((await adapter.queryStatus(ref)).note).toBe('申请人姓名“𠮷”与证件不符');
  });

  it('names a status the partner file does not map', async () => {
    const err = await adapter.queryStatus(await caseIn('GQ')).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'unmapped', message: expect.stringContaining('GQ') });
  });

  it('maps an unknown case (E1004) to not_found', async () => {
    expect(await kindOf(adapter.queryStatus('SX9999999999'))).toBe('not_found');
  });
});

describe('soap-legacy: RevokeCase', () => {
  it('withdraws a case, which then reads as withdrawn with the reason', async () => {
    const { partnerRef } = await adapter.submitCase(submission());
    await adapter.withdraw(partnerRef, '申请人撤回 <本人> & 代理');
    expect(control.received.at(-1)!.soapAction).toBe(`"${NS}/RevokeCase"`);
    expect(await adapter.queryStatus(partnerRef)).toMatchObject({ state: 'withdrawn', note: '申请人撤回 <本人> & 代理' });
  });

  it('maps a refusal to revoke a decided case (E2001) to rejected', async () => {
    const { partnerRef } = await adapter.submitCase(submission());
    control.advance(partnerRef, 'BJ-ZY');
    expect(await kindOf(adapter.withdraw(partnerRef, '撤回'))).toBe('rejected');
  });
});

describe('soap-legacy: SupplementCase', () => {
  const EXTRA = Uint8Array.from({ length: 1200 }, (_, i) => (i * 13) % 256);
  const extra = { requirement: 'hukou', name: '户口簿 <本人页> & 首页.pdf', mediaType: 'application/pdf', size: EXTRA.length, sha256: sha(EXTRA), content: EXTRA };
  async function waitingForSupplements(before?: string) {
    const { partnerRef } = await adapter.submitCase(submission());
    if (before) control.advance(partnerRef, before);
    control.advance(partnerRef, 'BZ', { opinion: '请补正户口簿', items: ['户口簿'], deadline: '2025-06-30 17:00:00' });
    return partnerRef;
  }

  it('sends the materials as base64 with their sha256 under WS-Security; the case goes back to its status before BZ', async () => {
    const partnerRef = await waitingForSupplements('SL');
    await adapter.provideSupplement(partnerRef, [extra], '补正 <户口簿>');
    const call = control.received.at(-1)!;
    expect(call.soapAction).toBe(`"${NS}/SupplementCase"`);
    expect(call.xml).toContain('<wsse:UsernameToken>');
    const op = reader.parse(call.xml).Envelope.Body.SupplementCase;
    expect(op).toMatchObject({ caseNo: partnerRef, note: '补正 <户口簿>', materials: { material: [{ code: 'hukou', name: extra.name, size: String(EXTRA.length), sha256: sha(EXTRA) }] } });
    expect(control.cases.get(partnerRef)!.supplements).toEqual([expect.objectContaining({ note: '补正 <户口簿>', materials: [expect.objectContaining({ sha256: sha(EXTRA), content: EXTRA })] })]);
    expect(await adapter.queryStatus(partnerRef)).toMatchObject({ state: 'accepted' });
  });

  it('a repeat of the same supplement succeeds; one to a case not in BZ is rejected (E2001), an unknown case not_found', async () => {
    const partnerRef = await waitingForSupplements();
    await adapter.provideSupplement(partnerRef, [extra]);
    expect((await adapter.queryStatus(partnerRef)).state).toBe('received');
    await adapter.provideSupplement(partnerRef, [extra]);
    expect(control.cases.get(partnerRef)!.supplements).toHaveLength(1);
    const other = { ...extra, content: CONTENT, size: CONTENT.length, sha256: sha(CONTENT) };
    const err = await adapter.provideSupplement(partnerRef, [other]).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AdapterError', kind: 'rejected', retryable: false, message: expect.stringContaining('E2001') });
    expect(await kindOf(adapter.provideSupplement('SX9999999999', [extra]))).toBe('not_found');
  });

  it('a material whose digest does not match is rejected (E1003), and the case stays in BZ', async () => {
    const partnerRef = await waitingForSupplements();
    expect(await kindOf(adapter.provideSupplement(partnerRef, [{ ...extra, sha256: '0'.repeat(64) }]))).toBe('rejected');
    expect(control.cases.get(partnerRef)!.statusCode).toBe('BZ');
  });

  it('a Server fault is retryable unavailable, a silent province a timeout, a malformed or foreign answer bad_response', async () => {
    const partnerRef = await waitingForSupplements();
    control.failNext({ fault: 'Server', code: 'E9999', message: '系统内部错误' });
    expect(await adapter.provideSupplement(partnerRef, [extra]).catch((e: unknown) => e)).toMatchObject({ kind: 'unavailable', retryable: true });
    control.failNext({ http: 503, body: '<html>busy</html>' });
    expect(await kindOf(adapter.provideSupplement(partnerRef, [extra]))).toBe('unavailable');
    const quick = adapterFor(sandbox.url, { timeoutMs: 200 });
    control.failNext({ hang: 2000 });
    expect(await quick.provideSupplement(partnerRef, [extra]).catch((e: unknown) => e)).toMatchObject({ kind: 'timeout', retryable: true });
    control.failNext({ http: 200, body: '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ns2:SupplementCaseResponse', contentType: 'text/xml' });
    expect(await kindOf(adapter.provideSupplement(partnerRef, [extra]))).toBe('bad_response');
    const other = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ns2:SupplementCaseResponse xmlns:ns2="${NS}"><ns2:caseNo>SX0000000999</ns2:caseNo><ns2:statusCode>SJ</ns2:statusCode><ns2:statusTime>2025-06-01 09:30:00</ns2:statusTime></ns2:SupplementCaseResponse></soap:Body></soap:Envelope>`;
    control.failNext({ http: 200, body: other, contentType: 'text/xml' });
    expect(await adapter.provideSupplement(partnerRef, [extra]).catch((e: unknown) => e)).toMatchObject({ kind: 'bad_response', message: expect.stringContaining('SX0000000999') });
  });
});

describe('soap-legacy: failures become typed errors', () => {
  it.each([
    ['a Client fault E1001', { fault: 'Client', code: 'E1001', message: '认证失败' }, 'auth', 'E1001'],
    ['a Client fault E1004', { fault: 'Client', code: 'E1004', message: '办件不存在' }, 'not_found', 'E1004'],
    ['a Client fault E1003', { fault: 'Client', code: 'E1003', message: '参数校验失败' }, 'rejected', 'E1003'],
    ['a Client fault with a code the table lacks', { fault: 'Client', code: 'E7777', message: '未知错误' }, 'rejected', 'E7777'],
    ['a Server fault', { fault: 'Server', code: 'E9999', message: '数据库连接失败' }, 'unavailable', 'soap:Server'],
    ['HTTP 500 without a fault', { http: 500, body: '<html><body>Internal Server Error</body></html>' }, 'unavailable', 'HTTP 500 without a SOAP fault'],
    ['HTTP 502 from a proxy', { http: 502, body: 'Bad Gateway', contentType: 'text/plain' }, 'unavailable', 'HTTP 502'],
    ['malformed XML', { http: 200, body: '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><QueryCaseResponse>', contentType: 'text/xml' }, 'bad_response', 'malformed XML'],
    ['HTML with 200', { http: 200, body: '<html>维护中</html>', contentType: 'text/html' }, 'bad_response', 'no SOAP Envelope/Body'],
    ['a QueryCaseResponse missing statusCode and statusTime', { http: 200, body: '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ns2:QueryCaseResponse xmlns:ns2="http://gov.example.cn/case/v1"><ns2:caseNo>SX0000000001</ns2:caseNo><ns2:serviceCode>450000-XK-0001</ns2:serviceCode></ns2:QueryCaseResponse></soap:Body></soap:Envelope>', contentType: 'text/xml' }, 'bad_response', 'statusCode, statusTime'],
    ['a DTD', { http: 200, body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>', contentType: 'text/xml' }, 'bad_response', 'DTD'],
    ['an unknown charset', { http: 200, body: new TextEncoder().encode('<a>') as Uint8Array<ArrayBuffer>, contentType: 'text/xml; charset=x-no-such-charset' }, 'bad_response', 'unknown charset x-no-such-charset'],
    ['GBK bytes declared as utf-8', { http: 200, body: encodeGbk('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><QueryCaseResponse><opinion>补正</opinion></QueryCaseResponse></soap:Body></soap:Envelope>'), contentType: 'text/xml; charset=utf-8' }, 'bad_response', 'not valid utf-8'],
    ['HTTP 404', { http: 404, body: 'Not Found', contentType: 'text/plain' }, 'bad_response', 'HTTP 404'],
    ['HTTP 401', { http: 401, body: '' }, 'auth', 'HTTP 401'],
  ] as const)('%s -> %s', async (_label, failure, kind, says) => {
    control.failNext(failure);
    const err = await adapter.queryStatus('SX0000000001').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect(err).toMatchObject({ kind, retryable: kind === 'unavailable', message: expect.stringContaining(says) });
  });

  it('times out on a silent partner within its timeoutMs, retryably', async () => {
    const quick = adapterFor(sandbox.url, { timeoutMs: 200 });
    control.failNext({ hang: 2000 });
    const started = Date.now();
    const err = await quick.queryStatus('SX0000000001').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AdapterError', kind: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('maps a refused connection to unavailable', async () => {
    const gone = await startSandbox();
    await gone.close();
    expect(await kindOf(adapterFor(gone.url).queryStatus('SX0000000001'))).toBe('unavailable');
  });

  it('maps wrong credentials to auth, and so does a secret that is not set', async () => {
    expect(await kindOf(adapterFor(sandbox.url, { password: 'WRONG_PASSWORD' }).queryStatus('SX0000000001'))).toBe('auth');
    expect(await kindOf(adapterFor(sandbox.url, { password: 'UNSET_PASSWORD' }).submitCase(submission()))).toBe('auth');
  });

  it('is refused by the province when the SOAPAction does not match the operation', async () => {
    const off = adapterFor(sandbox.url, { options: { soapActionPrefix: 'urn:wrong/' } });
    const err = await off.queryStatus('SX0000000001').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'rejected', message: expect.stringContaining('SOAPAction') });
  });
});

describe('soap-legacy: the rest of the interface', () => {
  it('has no callbacks', async () => {
    const err = await adapter.parseCallback({ headers: new Headers(), body: new Uint8Array() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'bad_callback', message: 'this partner has no callbacks; poll queryStatus' });
  });

  it('reports health by Ping, and says why when it is not healthy', async () => {
    expect(await adapter.health()).toMatchObject({ ok: true });
    expect(control.received.at(-1)!.soapAction).toBe(`"${NS}/Ping"`);
    const bad = await adapterFor(sandbox.url, { password: 'WRONG_PASSWORD' }).health();
    expect(bad).toMatchObject({ ok: false, detail: expect.stringMatching(/^auth: .*E1001/) });
  });

  it('speaks simple header credentials to a province that wants them', async () => {
    const plain = await startSandbox({ security: 'header', charset: 'gbk' });
    try {
      const a = adapterFor(plain.url, { options: { security: 'header' } });
      expect(await a.health()).toMatchObject({ ok: true });
      expect(plain.control.received[0]!.xml).toContain('<cs:AuthHeader><cs:userName>sandbox</cs:userName><cs:password>sandbox-secret</cs:password></cs:AuthHeader>');
      // A WS-Security envelope carries no AuthHeader: this province refuses it.
      expect(await kindOf(adapterFor(plain.url).submitCase(submission()))).toBe('auth');
    } finally {
      await plain.close();
    }
  });

  it('is registered, checks its options and names the fields it needs', () => {
    expect(adapterFactory('soap-legacy')).toBe(soapLegacyAdapter);
    expect(soapLegacyAdapter.validateOptions(undefined)).toEqual([]);
    expect(soapLegacyAdapter.validateOptions({ soapNamespace: NS, operations: { ping: 'Echo' } })).toEqual([]);
    const problems = soapLegacyAdapter.validateOptions({ soapNamespace: 'not a url', operations: { ping: 'a b' }, faultCodes: { E1: 'fatal' }, extra: 1 });
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^soapNamespace: /), expect.stringMatching(/^operations\.ping: /), expect.stringMatching(/^faultCodes\.E1: /), expect.stringMatching(/extra/),
    ]));
    expect(soapLegacyAdapter.requiredFields({ serviceCode: 'x', fieldMap: {} })).toEqual(['applicant.name', 'applicant.idType', 'applicant.idNumber']);
  });
});
