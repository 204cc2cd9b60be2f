import { Hono, type Context } from 'hono';
import { seconds, systemClock, type Clock } from '../../src/lib/clock';
import { hex, sha256, utf8 } from '../../src/lib/encoding';
import { concat } from '../../src/lib/http';
import { hmacSha256 } from '../common/signature';
import { applyFault, createFaultQueue, recordRequests, serveOnLoopback, type RecordedRequest, type RunningSandbox, type SandboxFault } from '../common/sandbox-kit';
import { toXhkTime } from './mapping';

// A faithful in-memory 西海岸 back office (the API is documented in index.ts), with control hooks for
// tests. Run it alone: `npx tsx -e "import('./adapters/xihaike/sandbox.ts').then(m => m.startSandbox({ port: 8702 }))"`.

export interface XihaikeSandboxOptions {
  clientId?: string;
  clientSecret?: string;
  callbackSecret?: string;
  /** Where callbacks go (registered with the back office out of band); none: no callbacks. */
  callbackUrl?: string;
  /** 事项编码 it offers. */
  services?: string[];
  tokenTtlSeconds?: number;
  clock?: Clock;
  fetch?: typeof fetch;
}

/** A fault of the generic kinds, or an envelope with a business error code. */
export type XihaikeFault = SandboxFault | { kind: 'code'; code: number; msg?: string; path?: string };

export interface XhkSandboxCase {
  ajid: string; wbbh: string; sxbm: string; zt: number; gxsj: string; fields: Record<string, unknown>;
  bz?: string; zsbh?: string; kdgs?: string; kddh?: string; bzcl?: string[]; bzqx?: string;
  /** 补正记录 (not in the API's case view): what was supplemented, oldest first. */
  bzjl?: { cllb: XhkMaterial[]; bzsm?: string; sj: string }[];
  /** The zt a case returns to once its supplements arrive (not in the view). */
  hfzt?: number;
}
interface XhkMaterial { clbm: string; clmc?: string; wjlx?: string; wjdx: number; sha256: string; wjnr: string }
type CaseDetails = Pick<XhkSandboxCase, 'bz' | 'zsbh' | 'kdgs' | 'kddh' | 'bzcl' | 'bzqx'>;

const STATUS_NAMES: Record<number, string> = { 10: '收件', 20: '受理', 21: '不予受理', 30: '补正', 40: '办结(准予)', 41: '办结(不予)', 50: '出证', 60: '寄递', 70: '签收', 90: '撤回' };
const REVOCABLE = new Set([10, 20, 30]);
const REQUIRED = ['sxbm', 'wbbh', 'sqrxm', 'zjlx', 'sfzh', 'sjsj', 'sdfs'];
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

const ok = (c: Context, data: unknown) => c.json({ code: 0, msg: '成功', data });
const fail = (c: Context, code: number, msg: string) => c.json({ code, msg, data: null });

export function createXihaikeSandbox(opts: XihaikeSandboxOptions = {}) {
  const settings = {
    clientId: opts.clientId ?? 'xhk-client', clientSecret: opts.clientSecret ?? 'xhk-secret', callbackSecret: opts.callbackSecret ?? 'xhk-callback-secret',
    callbackUrl: opts.callbackUrl, tokenTtlSeconds: opts.tokenTtlSeconds ?? 7200,
  };
  const services = new Set(opts.services ?? ['XHK-37021100123']);
  const clock = opts.clock ?? systemClock;
  const send = opts.fetch ?? fetch;
  const cases = new Map<string, XhkSandboxCase>();
  const tokens = new Map<string, number>(); // token -> expiry, Unix seconds
  const requests: RecordedRequest[] = [];
  const faults = createFaultQueue<XihaikeFault>();
  const stats = { tokenRequests: 0 };
  let seq = 0;
  const now = () => toXhkTime(new Date(clock.now()).toISOString());
  const view = ({ fields: _fields, bzjl: _bzjl, hfzt: _hfzt, ...k }: XhkSandboxCase) => ({ ...k, ztmc: STATUS_NAMES[k.zt] ?? '未知' });

  const app = new Hono();
  app.use('*', recordRequests(requests));
  app.use('*', async (c, next) => {
    const fault = faults.take(c.req.path);
    if (fault?.kind === 'code') return fail(c, fault.code, fault.msg ?? '注入的错误');
    return (await applyFault(c, fault)) ?? next();
  });

  app.post('/oauth/token', async (c) => {
    stats.tokenRequests++;
    const form = new URLSearchParams(await c.req.text());
    if (form.get('grant_type') !== 'client_credentials') return fail(c, 40001, '不支持的授权类型');
    if (form.get('client_id') !== settings.clientId || form.get('client_secret') !== settings.clientSecret) return fail(c, 40102, '客户端认证失败');
    const token = `xhk-${crypto.randomUUID()}`;
    tokens.set(token, seconds(clock) + settings.tokenTtlSeconds);
    return ok(c, { access_token: token, token_type: 'bearer', expires_in: settings.tokenTtlSeconds });
  });

  app.get('/api/v2/health', (c) => ok(c, { status: 'UP', time: now() }));
  app.use('/api/v2/cases/*', authorize);
  async function authorize(c: Context, next: () => Promise<void>) {
    const token = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    const expiry = token ? tokens.get(token) : undefined;
    if (expiry === undefined) return fail(c, 40100, '令牌无效');
    if (seconds(clock) >= expiry) return fail(c, 40101, '令牌过期');
    await next();
  }

  app.post('/api/v2/cases', async (c) => {
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body || typeof body !== 'object') return fail(c, 40001, '请求体不是 JSON');
    const missing = REQUIRED.filter((f) => typeof body[f] !== 'string' || body[f] === '');
    if (missing.length) return fail(c, 42201, `缺少必填项: ${missing.join(', ')}`);
    if (!services.has(body.sxbm as string)) return fail(c, 40401, `事项 ${String(body.sxbm)} 不存在`);
    if (!TIME.test(body.sjsj as string)) return fail(c, 42201, 'sjsj 格式应为 yyyy-MM-dd HH:mm:ss');
    if (!['1', '2', '3'].includes(body.sdfs as string)) return fail(c, 42201, 'sdfs 应为 1 窗口 2 邮寄 3 电子');
    if (body.sdfs === '2' && !body.yjdz) return fail(c, 42201, '邮寄送达须填写 yjdz');
    const problem = await checkMaterials(body.cllb);
    if (problem) return fail(c, 42201, problem);
    const existing = [...cases.values()].find((k) => k.wbbh === body.wbbh);
    if (existing) return ok(c, { ajid: existing.ajid, zt: existing.zt, sjsj: existing.gxsj });
    const k: XhkSandboxCase = { ajid: `XHK${String(++seq).padStart(8, '0')}`, wbbh: body.wbbh as string, sxbm: body.sxbm as string, zt: 10, gxsj: now(), fields: body };
    cases.set(k.ajid, k);
    return ok(c, { ajid: k.ajid, zt: k.zt, sjsj: k.gxsj });
  });

  app.get('/api/v2/cases', (c) => {
    const since = c.req.query('updatedSince') ?? '1970-01-01 00:00:00';
    const page = Number(c.req.query('page') ?? '1');
    const pageSize = Number(c.req.query('pageSize') ?? '20');
    if (!TIME.test(since) || !Number.isInteger(page) || page < 1 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return fail(c, 40001, '参数错误');
    const all = [...cases.values()].filter((k) => k.gxsj >= since).sort((a, b) => a.gxsj.localeCompare(b.gxsj) || a.ajid.localeCompare(b.ajid));
    return ok(c, { list: all.slice((page - 1) * pageSize, page * pageSize).map(view), total: all.length, page });
  });

  app.get('/api/v2/cases/:ajid', (c) => {
    const k = cases.get(c.req.param('ajid'));
    return k ? ok(c, view(k)) : fail(c, 40401, '案件不存在');
  });

  app.post('/api/v2/cases/:ajid/revoke', async (c) => {
    const k = cases.get(c.req.param('ajid'));
    if (!k) return fail(c, 40401, '案件不存在');
    const body = (await c.req.json().catch(() => null)) as { chyy?: unknown } | null;
    if (typeof body?.chyy !== 'string' || !body.chyy) return fail(c, 42201, '缺少撤回原因 chyy');
    if (!REVOCABLE.has(k.zt)) return fail(c, 42201, `当前状态(${STATUS_NAMES[k.zt] ?? k.zt})不允许撤回`);
    Object.assign(k, { zt: 90, gxsj: now(), bz: body.chyy });
    return ok(c, { ajid: k.ajid, zt: k.zt });
  });

  app.post('/api/v2/cases/:ajid/supplement', async (c) => {
    const k = cases.get(c.req.param('ajid'));
    if (!k) return fail(c, 40401, '案件不存在');
    const body = (await c.req.json().catch(() => null)) as { cllb?: unknown; bzsm?: unknown } | null;
    if (!body || typeof body !== 'object') return fail(c, 40001, '请求体不是 JSON');
    if (!Array.isArray(body.cllb) || body.cllb.length === 0) return fail(c, 42201, '缺少补正材料 cllb');
    if (body.bzsm !== undefined && typeof body.bzsm !== 'string') return fail(c, 40001, 'bzsm 应为字符串');
    const problem = await checkMaterials(body.cllb);
    if (problem) return fail(c, 42201, problem);
    const cllb = body.cllb as XhkMaterial[];
    const last = k.bzjl?.at(-1);
    // 重复提交同一批补正材料（上次的应答丢失）: answered as the first time.
    if (k.zt !== 30 && last && last.cllb.length === cllb.length && last.cllb.every((m, i) => m.sha256 === cllb[i]!.sha256)) return ok(c, { ajid: k.ajid, zt: k.zt });
    if (k.zt !== 30) return fail(c, 42201, `当前状态(${STATUS_NAMES[k.zt] ?? k.zt})不允许补正`);
    (k.bzjl ??= []).push({ cllb, sj: now(), ...(typeof body.bzsm === 'string' && body.bzsm ? { bzsm: body.bzsm } : {}) });
    delete k.bzcl;
    delete k.bzqx;
    Object.assign(k, { zt: k.hfzt ?? 10, gxsj: now() });
    return ok(c, { ajid: k.ajid, zt: k.zt });
  });

  async function deliver(k: XhkSandboxCase): Promise<{ status: number } | { error: string } | null> {
    if (!settings.callbackUrl) return null;
    const body = utf8(JSON.stringify({ tzlb: [{ tzid: `TZ${String(++seq).padStart(8, '0')}`, ...view(k) }] }));
    const timestamp = String(seconds(clock));
    const signature = hex(await hmacSha256(settings.callbackSecret, concat([utf8(`${timestamp}.`), body])));
    try {
      const res = await send(settings.callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-xhk-timestamp': timestamp, 'x-xhk-signature': signature }, body: body as Uint8Array<ArrayBuffer> });
      await res.arrayBuffer();
      return { status: res.status };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  const control = {
    requests, cases, settings, stats,
    failNext: (fault: XihaikeFault) => faults.push(fault),
    clearFaults: () => faults.clear(),
    /** Every token issued so far is expired from now on (the next call with one gets 40101). */
    expireTokens() { for (const t of tokens.keys()) tokens.set(t, 0); },
    /** Sets a case's zt (and details) as the back office would, and posts the signed callback. */
    async advance(ajid: string, zt: number, details: CaseDetails = {}) {
      const k = cases.get(ajid);
      if (!k) throw new Error(`sandbox: no case ${ajid}`);
      if (zt === 30 && k.zt !== 30) k.hfzt = k.zt;
      Object.assign(k, details, { zt, gxsj: now() });
      return { delivery: await deliver(k) };
    },
    /** Adds cases directly (for paging tests). */
    seed(list: { wbbh: string; sxbm?: string; zt?: number; gxsj?: string }[]) {
      for (const s of list) {
        const ajid = `XHK${String(++seq).padStart(8, '0')}`;
        cases.set(ajid, { ajid, wbbh: s.wbbh, sxbm: s.sxbm ?? [...services][0]!, zt: s.zt ?? 10, gxsj: s.gxsj ?? now(), fields: {} });
      }
    },
  };
  return { app, control };
}

async function checkMaterials(cllb: unknown): Promise<string | null> {
  if (cllb === undefined) return null;
  if (!Array.isArray(cllb)) return 'cllb 应为数组';
  for (const [i, m] of (cllb as Record<string, unknown>[]).entries()) {
    if (typeof m?.wjnr !== 'string' || typeof m.sha256 !== 'string' || typeof m.clbm !== 'string') return `cllb[${i}] 缺少 clbm/sha256/wjnr`;
    let bytes: Uint8Array;
    try { bytes = Uint8Array.from(atob(m.wjnr), (ch) => ch.charCodeAt(0)); } catch { return `cllb[${i}].wjnr 不是 base64`; }
    if (bytes.length !== m.wjdx || hex(await sha256(bytes)) !== m.sha256) return `cllb[${i}] 文件校验失败`;
  }
  return null;
}

export type XihaikeSandbox = ReturnType<typeof createXihaikeSandbox>;

export async function startSandbox(opts: XihaikeSandboxOptions & { port?: number } = {}): Promise<XihaikeSandbox & RunningSandbox> {
  const sandbox = createXihaikeSandbox(opts);
  return { ...sandbox, ...(await serveOnLoopback(sandbox.app, opts.port)) };
}
