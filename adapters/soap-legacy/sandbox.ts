// A faithful stand-in for the provincial CaseService, for tests and demos (not part of the gateway build).
import { XMLParser } from 'fast-xml-parser';
import { Hono } from 'hono';
import { serveOnLoopback } from '../common/sandbox-kit';
import { PASSWORD_TEXT } from './envelope';
import { encodeGbk } from './sandbox-gbk';

export const STATUS_NAMES: Record<string, string> = {
  SJ: '收件', SL: '受理', BYSL: '不予受理', BZ: '补正', 'BJ-ZY': '办结（准予）', 'BJ-BY': '办结（不予）', CZ: '出证', CH: '撤回',
};
const REVOCABLE = new Set(['SJ', 'SL', 'BZ']);

export interface SandboxOptions {
  port?: number;
  charset?: 'utf-8' | 'gbk';
  /** Where a GBK answer says so: the Content-Type header, the XML declaration only, or both (default). */
  declare?: 'header' | 'declaration' | 'both';
  namespace?: string;
  servicePath?: string;
  security?: 'ws-security' | 'header';
  username?: string;
  password?: string;
  /** The service codes the province knows; any when unset. */
  serviceCodes?: string[];
  /** applyData elements SubmitCase requires (E1003 without them). */
  requiredFields?: string[];
}

export interface SandboxCase {
  caseNo: string; externalRef: string; serviceCode: string; statusCode: string; statusTime: string;
  applyData: Record<string, string>;
  materials: { code: string; name: string; mimeType: string; size: string; sha256: string; content: Uint8Array }[];
  opinion?: string; documentNo?: string; items?: string[]; deadline?: string;
  /** 补正: what the applicant supplemented, oldest first. */
  supplements?: { materials: SandboxCase['materials']; note?: string; at: string }[];
  /** The status a case returns to once its supplements arrive: the one it had before BZ. */
  resumeStatus?: string;
}

export type SandboxFailure =
  | { fault: 'Client' | 'Server'; code?: string; message?: string }
  | { http: number; body?: string | Uint8Array<ArrayBuffer>; contentType?: string }
  | { hang: number };

export interface ReceivedCall { soapAction: string | undefined; contentType: string | undefined; xml: string }

export interface SandboxControl {
  readonly cases: Map<string, SandboxCase>;
  readonly received: ReceivedCall[];
  /** What the province's clerks would do: move a case on, with an opinion or document number. */
  advance(caseNo: string, statusCode: string, extra?: Partial<Pick<SandboxCase, 'opinion' | 'documentNo' | 'items' | 'deadline' | 'statusTime'>>): void;
  /** The next call gets this instead of its answer. */
  failNext(failure: SandboxFailure): void;
  setCharset(charset: 'utf-8' | 'gbk', declare?: SandboxOptions['declare']): void;
}

class Fault { constructor(readonly side: 'Client' | 'Server', readonly code: string, readonly message: string) {} }

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, trimValues: true, htmlEntities: true, isArray: (n) => /(^|:)(material)$/.test(n) });
const xmlText = (s: string) => s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
const beijingNow = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
const localName = (k: string) => k.slice(k.indexOf(':') + 1);
const prefixOf = (k: string) => (k.includes(':') ? k.slice(0, k.indexOf(':')) : '');

type Node = Record<string, unknown>;
function child(node: unknown, name: string): [string, unknown] | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const key = Object.keys(node).find((k) => !k.startsWith('@') && localName(k) === name);
  return key === undefined ? undefined : [key, (node as Node)[key]];
}
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' && v && typeof (v as Node)['#text'] === 'string' ? ((v as Node)['#text'] as string) : '');
const textOf = (node: unknown, name: string) => text(child(node, name)?.[1]);

/** Content of a (prefix-free) element list: `<cs:SQRXM>x</cs:SQRXM>` -> { SQRXM: 'x' }. */
function fieldsOf(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof node === 'object' && node !== null) for (const [k, v] of Object.entries(node)) if (!k.startsWith('@')) out[localName(k)] = text(v);
  return out;
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s.replace(/\s+/g, ''));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';

/** The CaseService as a Hono app, with the control hooks tests drive it by. */
export function createSandbox(options: SandboxOptions = {}): { app: Hono; control: SandboxControl; close(): void } {
  const ns = options.namespace ?? 'http://gov.example.cn/case/v1';
  const user = options.username ?? 'sandbox';
  const password = options.password ?? 'sandbox-secret';
  const cases = new Map<string, SandboxCase>();
  const received: ReceivedCall[] = [];
  const failures: SandboxFailure[] = [];
  const timers = new Set<{ timer: ReturnType<typeof setTimeout>; done: () => void }>();
  let charset = options.charset ?? 'utf-8';
  let declare = options.declare ?? 'both';
  let seq = 0;

  const el = (name: string, value: string | undefined) => (value === undefined ? '' : `<ns2:${name}>${xmlText(value)}</ns2:${name}>`);
  function reply(status: number, bodyXml: string): Response {
    const gbk = charset === 'gbk';
    const decl = gbk && declare === 'header' ? '<?xml version="1.0"?>' : `<?xml version="1.0" encoding="${gbk ? 'GBK' : 'UTF-8'}"?>`;
    const xml = `${decl}<soap:Envelope xmlns:soap="${SOAP_ENV}"><soap:Body>${bodyXml}</soap:Body></soap:Envelope>`;
    const type = gbk ? (declare === 'declaration' ? 'text/xml' : 'text/xml; charset=GBK') : 'text/xml; charset=utf-8';
    return new Response(gbk ? encodeGbk(xml) : (new TextEncoder().encode(xml) as Uint8Array<ArrayBuffer>), { status, headers: { 'content-type': type } });
  }
  const faultReply = (f: Fault) => reply(500, `<soap:Fault><faultcode>soap:${f.side}</faultcode><faultstring>${xmlText(f.message)}</faultstring><detail><errorCode>${f.code}</errorCode></detail></soap:Fault>`);
  const sleep = (ms: number) => new Promise<void>((done) => {
    const entry = { timer: setTimeout(() => { timers.delete(entry); done(); }, ms), done };
    timers.add(entry);
  });

  function operationOf(xml: string, soapAction: string | undefined): { op: string; node: unknown; header: unknown } {
    let doc: unknown;
    try { doc = parser.parse(xml, true); } catch { throw new Fault('Client', 'E1003', '请求不是合法的 XML'); }
    const [envKey, env] = child(doc, 'Envelope') ?? [];
    if (!envKey || (env as Node)[`@xmlns:${prefixOf(envKey)}`] !== SOAP_ENV) throw new Fault('Client', 'E1003', '不是 SOAP 1.1 报文');
    const body = child(env, 'Body')?.[1];
    const [opKey, node] = Object.entries((body ?? {}) as Node).find(([k]) => !k.startsWith('@')) ?? [];
    if (!opKey) throw new Fault('Client', 'E1003', 'SOAP Body 为空');
    const attr = prefixOf(opKey) ? `@xmlns:${prefixOf(opKey)}` : '@xmlns';
    const opNs = [node, body, env].map((n) => (typeof n === 'object' && n ? (n as Node)[attr] : undefined)).find((v) => v !== undefined);
    if (opNs !== ns) throw new Fault('Client', 'E1003', `命名空间错误：${String(opNs)}`);
    const op = localName(opKey);
    if (soapAction?.replace(/^"|"$/g, '') !== `${ns}/${op}`) throw new Fault('Client', 'E1003', 'SOAPAction 与操作不符');
    return { op, node, header: child(env, 'Header')?.[1] };
  }

  function checkCredentials(header: unknown) {
    const token = options.security === 'header' ? child(header, 'AuthHeader')?.[1] : child(child(header, 'Security')?.[1], 'UsernameToken')?.[1];
    const [u, p] = options.security === 'header' ? [textOf(token, 'userName'), textOf(token, 'password')] : [textOf(token, 'Username'), textOf(token, 'Password')];
    const type = (child(token, 'Password')?.[1] as Node | undefined)?.['@Type'];
    if (u !== user || p !== password || (options.security !== 'header' && type !== PASSWORD_TEXT)) throw new Fault('Client', 'E1001', '认证失败：用户名或密码错误');
  }

  const find = (caseNo: string) => {
    const found = cases.get(caseNo);
    if (!found) throw new Fault('Client', 'E1004', `办件不存在：${caseNo}`);
    return found;
  };
  const caseHead = (k: SandboxCase) => el('caseNo', k.caseNo) + el('statusCode', k.statusCode) + el('statusTime', k.statusTime);

  async function submitCase(node: unknown): Promise<string> {
    const serviceCode = textOf(node, 'serviceCode');
    const externalRef = textOf(node, 'externalRef');
    if (!serviceCode || !externalRef) throw new Fault('Client', 'E1003', '缺少 serviceCode 或 externalRef');
    if (options.serviceCodes && !options.serviceCodes.includes(serviceCode)) throw new Fault('Client', 'E1005', `事项不存在：${serviceCode}`);
    const applyData = fieldsOf(child(node, 'applyData')?.[1]);
    const missing = (options.requiredFields ?? []).filter((f) => !applyData[f]);
    if (missing.length) throw new Fault('Client', 'E1003', `缺少必填项：${missing.join('、')}`);
    const materials = await readMaterials(node);
    // The province deduplicates on the sender's reference: a retried SubmitCase gets the same case back.
    const known = [...cases.values()].find((k) => k.externalRef === externalRef);
    if (known) return caseHead(known);
    const k: SandboxCase = { caseNo: `SX${String(++seq).padStart(10, '0')}`, externalRef, serviceCode, statusCode: 'SJ', statusTime: beijingNow(), applyData, materials };
    cases.set(k.caseNo, k);
    return caseHead(k);
  }

  async function readMaterials(node: unknown): Promise<SandboxCase['materials']> {
    const materials = [];
    for (const m of (child(child(node, 'materials')?.[1], 'material')?.[1] ?? []) as unknown[]) {
      const f = fieldsOf(m);
      let content: Uint8Array;
      try { content = fromBase64(f.content ?? ''); } catch { throw new Fault('Client', 'E1003', `材料内容不是 base64：${f.name}`); }
      if (await sha256Hex(content) !== f.sha256 || String(content.length) !== f.size) throw new Fault('Client', 'E1003', `材料校验失败：${f.name}`);
      materials.push({ code: f.code ?? '', name: f.name ?? '', mimeType: f.mimeType ?? '', size: f.size ?? '', sha256: f.sha256 ?? '', content });
    }
    return materials;
  }

  async function supplementCase(node: unknown): Promise<string> {
    const k = find(textOf(node, 'caseNo'));
    const materials = await readMaterials(node);
    if (!materials.length) throw new Fault('Client', 'E1003', '缺少补正材料');
    const last = k.supplements?.at(-1);
    // A SupplementCase retried after a lost answer gets the answer it had.
    if (k.statusCode !== 'BZ' && last && last.materials.length === materials.length && last.materials.every((m, i) => m.sha256 === materials[i]!.sha256)) return caseHead(k);
    if (k.statusCode !== 'BZ') throw new Fault('Client', 'E2001', `当前状态（${STATUS_NAMES[k.statusCode] ?? k.statusCode}）不允许补正`);
    const note = textOf(node, 'note');
    (k.supplements ??= []).push({ materials, at: beijingNow(), ...(note ? { note } : {}) });
    Object.assign(k, { statusCode: k.resumeStatus ?? 'SJ', statusTime: beijingNow(), items: undefined, deadline: undefined });
    return caseHead(k);
  }

  function queryCase(node: unknown): string {
    const k = find(textOf(node, 'caseNo'));
    const items = k.items?.length ? `<ns2:supplementItems>${k.items.map((i) => el('item', i)).join('')}</ns2:supplementItems>` : '';
    return el('caseNo', k.caseNo) + el('serviceCode', k.serviceCode) + el('statusCode', k.statusCode)
      + el('statusName', STATUS_NAMES[k.statusCode] ?? k.statusCode) + el('statusTime', k.statusTime)
      + el('opinion', k.opinion) + el('documentNo', k.documentNo) + items + el('deadline', k.deadline);
  }

  function revokeCase(node: unknown): string {
    const k = find(textOf(node, 'caseNo'));
    if (!REVOCABLE.has(k.statusCode)) throw new Fault('Client', 'E2001', `当前状态（${STATUS_NAMES[k.statusCode] ?? k.statusCode}）不允许撤回`);
    Object.assign(k, { statusCode: 'CH', statusTime: beijingNow(), opinion: textOf(node, 'reason') || undefined });
    return caseHead(k);
  }

  const app = new Hono();
  app.post(options.servicePath ?? '/services/CaseService', async (c) => {
    const xml = await c.req.text();
    const soapAction = c.req.header('soapaction');
    received.push({ soapAction, contentType: c.req.header('content-type'), xml });
    const failure = failures.shift();
    if (failure && 'fault' in failure) return faultReply(new Fault(failure.fault, failure.code ?? (failure.fault === 'Server' ? 'E9999' : 'E1003'), failure.message ?? '系统内部错误'));
    if (failure && 'http' in failure) return new Response(failure.body ?? '', { status: failure.http, headers: { 'content-type': failure.contentType ?? 'text/html' } });
    if (failure) await sleep(failure.hang);
    if (!/^text\/xml\b/i.test(c.req.header('content-type') ?? '')) return c.text('Unsupported Media Type', 415);
    try {
      const { op, node, header } = operationOf(xml, soapAction);
      checkCredentials(header);
      const handlers: Record<string, (n: unknown) => string | Promise<string>> = {
        SubmitCase: submitCase, QueryCase: queryCase, RevokeCase: revokeCase, SupplementCase: supplementCase, Ping: () => el('serverTime', beijingNow()),
      };
      const handler = Object.hasOwn(handlers, op) ? handlers[op] : undefined;
      if (!handler) throw new Fault('Client', 'E1003', `未知操作：${op}`);
      return reply(200, `<ns2:${op}Response xmlns:ns2="${ns}">${await handler(node)}</ns2:${op}Response>`);
    } catch (e) {
      if (e instanceof Fault) return faultReply(e);
      return faultReply(new Fault('Server', 'E9999', '系统内部错误'));
    }
  });

  const control: SandboxControl = {
    cases, received,
    advance(caseNo, statusCode, extra = {}) {
      const k = cases.get(caseNo);
      if (!k) throw new Error(`no sandbox case ${caseNo}`);
      if (statusCode === 'BZ' && k.statusCode !== 'BZ') k.resumeStatus = k.statusCode;
      Object.assign(k, { statusCode, statusTime: beijingNow() }, extra);
    },
    failNext: (failure) => { failures.push(failure); },
    setCharset(next, where = 'both') { charset = next; declare = where; },
  };
  const close = () => { for (const t of timers) { clearTimeout(t.timer); t.done(); } timers.clear(); };
  return { app, control, close };
}

/** Serves the sandbox on 127.0.0.1; `url` is the partner file's `backOffice.baseUrl`. */
export async function startSandbox(options: SandboxOptions = {}): Promise<{ url: string; control: SandboxControl; close(): Promise<void> }> {
  const sandbox = createSandbox(options);
  const running = await serveOnLoopback(sandbox.app, options.port);
  return {
    url: running.url,
    control: sandbox.control,
    close: async () => {
      sandbox.close();
      await running.close();
    },
  };
}
