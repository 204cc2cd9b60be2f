import { describe, expect, it } from 'vitest';
import { declaredCharset, decodeXml, interpret, parseSoapBody } from '../../adapters/soap-legacy/client';
import { el, envelope, soapAction, submitCaseInner } from '../../adapters/soap-legacy/envelope';
import { escapeXml, faultKind, itemForService, itemMapping, mapStatus, parsePartnerTime, submitFields, toBase64 } from '../../adapters/soap-legacy/mapping';
import { encodeGbk } from '../../adapters/soap-legacy/sandbox-gbk';
import { DEFAULT_FAULT_CODES, soapOptionsSchema } from '../../adapters/soap-legacy/schema';
import { AdapterError, type CaseSubmission } from '../../adapters/types';
import { partnerSchema } from '../../src/services/partners/schema';

const options = soapOptionsSchema.parse({});
const utf8 = (s: string) => new TextEncoder().encode(s);
const wrap = (inner: string) => utf8(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${inner}</soap:Body></soap:Envelope>`);

function thrown(f: () => unknown): AdapterError {
  try { f(); } catch (e) { expect(e).toBeInstanceOf(AdapterError); return e as AdapterError; }
  throw new Error('expected an AdapterError');
}

const partner = partnerSchema.parse({
  member: 'gx-case-ws', name: '测试', adapter: 'soap-legacy', backOffice: { baseUrl: 'http://127.0.0.1:1' },
  statusMap: { SL: 'accepted', 'BJ-ZY': 'approved' }, agreements: [],
  items: {
    'KS-SCZT-001': { serviceCode: 'XK-1', fieldMap: { 'applicant.name': 'SQRXM', 'applicant.phone': 'LXDH', 'form.capital': 'ZCZB', 'caseRef': 'WBLSH' } },
    'KS-JBJ-002': { serviceCode: 'JB-2', fieldMap: { 'applicant.name': 'SQRXM' }, statusMap: { 'BJ-ZY': 'result_issued' } },
  },
});
const input: CaseSubmission = {
  caseRef: 'cs_1', itemCode: 'KS-SCZT-001', mode: 'online',
  applicant: { kind: 'person', name: '张三', idType: '111', idNumber: '110105199001011234' },
  intake: { member: 'gaoxin', window: 'w', clerk: 'c', receivedAt: '2025-01-01T00:00:00Z' },
  materials: [], form: { capital: 500, nested: { a: 1 } }, delivery: { method: 'window' },
};

describe('escapeXml', () => {
  it.each(['A&B <测试> "有限" \'公司\'', ']]> &amp; &#13;', '第一行\r\n第二行\r', '😀 𠮷 emoji and astral', ''])('round-trips %j through an XML parser', (value) => {
    const doc = parseSoapBody('text/xml', wrap(`<R><v>${escapeXml(value)}</v></R>`));
    expect(doc).toMatchObject({ ok: true });
    expect(doc.ok && (doc.body.R as { v: string }).v).toBe(value);
  });

  it('leaves no markup character bare', () => {
    expect(escapeXml('<a href="x">&\'</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });

  it.each(['\u0001', 'bell\u0007', '\uFFFE', 'lone \uD800 surrogate', 'lone \uDC00 low'])('refuses %j, which XML 1.0 cannot carry', (value) => {
    expect(thrown(() => escapeXml(value)).kind).toBe('rejected');
  });
});

describe('toBase64', () => {
  it.each([0, 1, 2, 3, 0x8000, 0x8001, 100_000])('matches the reference encoding for %i bytes', (n) => {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) % 256);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});

describe('submitFields', () => {
  it('maps present values by the fieldMap, in its order, leaving absent ones out', () => {
    expect(submitFields(input, itemMapping(partner, 'KS-SCZT-001'))).toEqual([
      { name: 'SQRXM', value: '张三' }, { name: 'ZCZB', value: '500' }, { name: 'WBLSH', value: 'cs_1' },
    ]);
  });

  it('refuses a mapped path that is not a single value, and an element name XML cannot have', () => {
    expect(thrown(() => submitFields(input, { serviceCode: 'X', fieldMap: { 'form.nested': 'QT' } })).message).toContain('form.nested');
    expect(thrown(() => submitFields(input, { serviceCode: 'X', fieldMap: { materials: 'CL' } })).kind).toBe('unmapped');
    expect(thrown(() => submitFields(input, { serviceCode: 'X', fieldMap: { 'applicant.name': 'a b' } })).kind).toBe('unmapped');
    expect(thrown(() => submitFields(input, { serviceCode: 'X', fieldMap: { 'applicant.name': 'x:y' } })).kind).toBe('unmapped');
  });

  it('does not read inherited properties', () => {
    expect(submitFields(input, { serviceCode: 'X', fieldMap: { 'applicant.constructor': 'A', 'applicant.__proto__': 'B' } })).toEqual([]);
  });
});

describe('items and statuses', () => {
  it('names an item the partner file does not map', () => {
    expect(thrown(() => itemMapping(partner, 'KS-NONE-1')).message).toContain('KS-NONE-1');
    expect(thrown(() => itemMapping(partner, 'toString')).kind).toBe('unmapped');
  });

  it('reads the item statusMap over the partner-wide one, and names a code neither maps', () => {
    expect(mapStatus(partner, itemMapping(partner, 'KS-JBJ-002'), 'BJ-ZY')).toBe('result_issued');
    expect(mapStatus(partner, itemMapping(partner, 'KS-SCZT-001'), 'BJ-ZY')).toBe('approved');
    expect(mapStatus(partner, itemMapping(partner, 'KS-JBJ-002'), 'SL')).toBe('accepted');
    expect(mapStatus(partner, undefined, 'SL')).toBe('accepted');
    const e = thrown(() => mapStatus(partner, itemMapping(partner, 'KS-JBJ-002'), 'GQ'));
    expect(e).toMatchObject({ kind: 'unmapped', message: expect.stringContaining('GQ') });
    expect(thrown(() => mapStatus(partner, undefined, 'constructor')).kind).toBe('unmapped');
  });

  it('finds the item of a QueryCase answer by service code', () => {
    expect(itemForService(partner, 'JB-2')?.statusMap).toEqual({ 'BJ-ZY': 'result_issued' });
    expect(itemForService(partner, 'NOPE')).toBeUndefined();
  });
});

describe('parsePartnerTime', () => {
  it.each([
    ['2025-05-01 10:00:00', '2025-05-01T02:00:00.000Z'],
    ['2025-05-01 02:00:00', '2025-04-30T18:00:00.000Z'],
    ['20250501100000', '2025-05-01T02:00:00.000Z'],
    ['2025-05-01T10:00:00.5+08:00', '2025-05-01T02:00:00.500Z'],
    ['2025-05-01T10:00:00+0800', '2025-05-01T02:00:00.000Z'],
    ['2025-05-01T10:00:00Z', '2025-05-01T10:00:00.000Z'],
  ])('reads %s (Beijing time without an offset)', (s, iso) => expect(parsePartnerTime(s)).toBe(iso));

  it.each(['2025-02-30 10:00:00', '2025-13-01 00:00:00', '2025-05-01 25:00:00', '昨天', ''])('refuses %j', (s) => expect(parsePartnerTime(s)).toBeUndefined());
});

describe('faultKind', () => {
  it.each([
    ['soap:Client', 'E1001', 'auth'], ['soapenv:Client', 'E1004', 'not_found'], ['Client', 'E1003', 'rejected'],
    ['soap:Client', undefined, 'rejected'], ['soap:Client.Validation', 'E9', 'rejected'], ['SOAP-ENV:Server', 'E1001', 'unavailable'],
    ['soap:Receiver', undefined, 'unavailable'], ['soap:Sender', 'E1004', 'not_found'], ['soap:MustUnderstand', undefined, 'rejected'],
    ['soap:Client', 'E2002', 'unavailable'], ['soap:Client', 'constructor', 'rejected'],
  ] as const)('%s %s -> %s', (code, errorCode, kind) => expect(faultKind(code, errorCode, DEFAULT_FAULT_CODES)).toBe(kind));
});

describe('charset-aware decoding', () => {
  const note = '补正材料：身份证复印件';
  it('takes the charset from the BOM, then Content-Type, then the XML declaration, else UTF-8', () => {
    const declGbk = utf8('<?xml version="1.0" encoding="GBK"?><a/>');
    expect(declaredCharset('text/xml; charset=utf-8', declGbk)).toBe('utf-8');
    expect(declaredCharset('text/xml; charset="GB2312"', utf8('<a/>'))).toBe('GB2312');
    expect(declaredCharset('text/xml', declGbk)).toBe('GBK');
    expect(declaredCharset(null, utf8("<?xml version='1.0' encoding='gb18030' standalone='yes'?><a/>"))).toBe('gb18030');
    expect(declaredCharset(null, utf8('<a/>'))).toBe('utf-8');
    expect(declaredCharset('text/xml; charset=GBK', Uint8Array.of(0xef, 0xbb, 0xbf, 0x3c))).toBe('utf-8');
  });

  it('decodes GBK bytes and refuses bytes that are not the declared charset', () => {
    expect(decodeXml('text/xml; charset=GBK', encodeGbk(`<a>${note}</a>`))).toBe(`<a>${note}</a>`);
    expect(decodeXml(null, encodeGbk(`<?xml version="1.0" encoding="GBK"?><a>${note}</a>`))).toContain(note);
    expect(thrown(() => decodeXml('text/xml', encodeGbk(`<a>${note}</a>`))).message).toContain('not valid utf-8');
    expect(thrown(() => decodeXml('text/xml; charset=klingon', utf8('<a/>'))).kind).toBe('bad_response');
  });
});

describe('interpret', () => {
  const fault = (code: string, detail = '') => wrap(`<soap:Fault><faultcode>${code}</faultcode><faultstring>失败</faultstring>${detail}</soap:Fault>`);
  it('reads a fault whatever the HTTP status, its errorCode directly or one level down in detail', () => {
    expect(thrown(() => interpret('QueryCase', 500, 'text/xml', fault('soap:Client', '<detail><errorCode>E1004</errorCode></detail>'), options)).kind).toBe('not_found');
    expect(thrown(() => interpret('QueryCase', 200, 'text/xml', fault('soap:Client', '<detail><ns1:CaseFault xmlns:ns1="u"><ns1:errorCode>E1001</ns1:errorCode></ns1:CaseFault></detail>'), options)).kind).toBe('auth');
    expect(thrown(() => interpret('QueryCase', 500, 'text/xml', wrap('<soap:Fault><faultstring>no code</faultstring></soap:Fault>'), options)).kind).toBe('bad_response');
  });

  it('returns the operation response by local name, whatever the prefixes', () => {
    const body = utf8('<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><ns9:PingResponse xmlns:ns9="u"><ns9:serverTime>0012</ns9:serverTime></ns9:PingResponse></S:Body></S:Envelope>');
    expect(interpret('Ping', 200, 'text/xml', body, options)).toEqual({ serverTime: '0012' });
    expect(thrown(() => interpret('Ping', 200, 'text/xml', wrap('<OtherResponse/>'), options)).message).toContain('no PingResponse');
  });
});

describe('envelopes', () => {
  const creds = { username: 'u<1>', password: 'p&"2' };
  it('carries a WS-Security UsernameToken with escaped credentials and the quoted SOAPAction', () => {
    const xml = envelope(options, creds, 'QueryCase', el('caseNo', 'SX&1'));
    expect(xml).toContain('<wsse:Username>u&lt;1&gt;</wsse:Username>');
    expect(xml).toContain('#PasswordText">p&amp;&quot;2</wsse:Password>');
    expect(xml).toContain('<cs:QueryCase><cs:caseNo>SX&amp;1</cs:caseNo></cs:QueryCase>');
    expect(parseSoapBody('text/xml; charset=utf-8', utf8(xml))).toMatchObject({ ok: true, body: { QueryCase: { caseNo: 'SX&1' } } });
    expect(soapAction(options, 'QueryCase')).toBe('"http://gov.example.cn/case/v1/QueryCase"');
    expect(soapAction(soapOptionsSchema.parse({ soapActionPrefix: '' }), 'Ping')).toBe('"Ping"');
  });

  it('carries header credentials when the partner wants them', () => {
    const xml = envelope(soapOptionsSchema.parse({ security: 'header' }), creds, 'Ping', '');
    expect(xml).toContain('<soap:Header><cs:AuthHeader><cs:userName>u&lt;1&gt;</cs:userName><cs:password>p&amp;&quot;2</cs:password></cs:AuthHeader></soap:Header>');
  });

  it('lays out SubmitCase: service code, our reference, applyData, materials', () => {
    const inner = submitCaseInner('XK-1', 'cs_1', [{ name: 'SQRXM', value: '张<三>' }], [
      { requirement: 'id', name: 'a&b.pdf', mediaType: 'application/pdf', size: 3, sha256: 'ab', content: utf8('abc') },
    ]);
    expect(inner).toBe('<cs:serviceCode>XK-1</cs:serviceCode><cs:externalRef>cs_1</cs:externalRef>'
      + '<cs:applyData><cs:SQRXM>张&lt;三&gt;</cs:SQRXM></cs:applyData><cs:materials><cs:material><cs:code>id</cs:code>'
      + '<cs:name>a&amp;b.pdf</cs:name><cs:mimeType>application/pdf</cs:mimeType><cs:size>3</cs:size><cs:sha256>ab</cs:sha256>'
      + '<cs:content>YWJj</cs:content></cs:material></cs:materials>');
  });
});
