/**
 * `xihaike`: 青岛西海岸新区's government-service back office.
 *
 *   POST /oauth/token  (form: grant_type=client_credentials, client_id, client_secret[, scope])
 *        -> {code: 0, msg: "成功", data: {access_token, token_type: "bearer", expires_in}}; bad credentials 40102
 *   Every other answer is an envelope `{code, msg, data}` with HTTP 200; code 0 is success. Errors:
 *     40001 参数错误 / 42201 业务校验失败 -> rejected, 40100 令牌无效 / 40101 令牌过期 -> refresh once and retry,
 *     40102 / 40301 -> auth, 40401 -> not_found, 42901 / 50000 / 50301 -> unavailable.
 *   POST /api/v2/cases           {sxbm, wbbh, sqrxm, zjlx, sfzh, lxdh?, sjsj, sdfs, yjdz?, ..., cllb: [{clbm, clmc,
 *                                 wjlx, wjdx, sha256, wjnr (base64)}]} -> data {ajid, zt: 10, sjsj}; a repeated wbbh returns its case
 *   GET  /api/v2/cases/{ajid}    -> data {ajid, wbbh, sxbm, zt, ztmc, gxsj, bz?, zsbh?, kdgs?, kddh?, bzcl?, bzqx?}
 *   GET  /api/v2/cases?updatedSince=yyyy-MM-dd HH:mm:ss&page=1&pageSize=50 (max 100) -> data {list, total, page}
 *   POST /api/v2/cases/{ajid}/revoke {chyy} -> data {ajid, zt: 90}; 42201 once decided
 *   POST /api/v2/cases/{ajid}/supplement {cllb: [as above], bzsm? (补正说明)} -> data {ajid, zt} (back to the zt before 补正);
 *        42201 when the case is not 30 补正 (a repeat of its last supplement, same sha256s, answers code 0) or a file's
 *        wjdx/sha256 does not match wjnr
 *   GET  /api/v2/health          -> data {status: "UP"} (no token)
 *   Status codes zt: 10 收件, 20 受理, 21 不予受理, 30 补正, 40 办结准予, 41 办结不予, 50 出证, 60 寄递, 70 签收,
 *     90 撤回: mapped by the partner file's statusMap. Times are Beijing `yyyy-MM-dd HH:mm:ss`.
 *   Callbacks: POST {tzlb: [{tzid, ajid, wbbh, sxbm, zt, gxsj, ...}]} with `X-Xhk-Timestamp` (Unix seconds) and
 *     `X-Xhk-Signature` = hex HMAC-SHA256 of `<timestamp>.<raw body>` keyed by `auth.callbackSecret`; the timestamp
 *     is inside the MAC so that an old callback cannot be replayed under a fresh one.
 */
import { seconds } from '../../src/lib/clock';
import { utf8 } from '../../src/lib/encoding';
import { concat } from '../../src/lib/http';
import type { ItemMapping } from '../../src/services/partners/schema';
import { AdapterError, type AdapterContext, type AdapterFactory, type CallbackEvent, type PartnerAdapter, type RawCallback, type StatusReport } from '../types';
import { secretFor } from '../standard/client';
import { decodeJson, issues } from '../common/http';
import { optionProblems } from '../standard/schema';
import { verifyHmacHex } from '../common/signature';
import { createXhkClient } from './client';
import { itemMapping } from '../common/tables';
import { XHK_REQUIRED_FIELDS, eventsFromXhkCallback, fromXhkTime, reportFromXhkCase, toXhkCase, toXhkSupplement, toXhkTime, xhkState } from './mapping';
import { callbackSchema, createdSchema, healthSchema, pageSchema, revokedSchema, supplementedSchema, xhkCaseSchema, xihaikeOptionsSchema, type XihaikeOptions } from './schema';

export interface XihaikeAdapter extends PartnerAdapter {
  /**
   * Every case changed since `since` (ISO instant), walking all pages; a case seen twice (updated during
   * the walk) is reported once, in its latest state. Pages are offset-based, so a poller should pass the
   * time it started its previous walk (less a margin), not the newest `at` it saw.
   */
  listUpdatedSince(since: string): Promise<StatusReport[]>;
}

const MAX_PAGES = 10_000;

export function createXihaikeAdapter(ctx: AdapterContext): XihaikeAdapter {
  const parsed = xihaikeOptionsSchema.safeParse(ctx.partner.options ?? {});
  if (!parsed.success) throw new Error(`${ctx.partner.member}: invalid xihaike options: ${optionProblems(parsed.error).join('; ')}`);
  const options = parsed.data;
  const client = createXhkClient(ctx, options);
  const casePath = (ref: string) => `/api/v2/cases/${encodeURIComponent(ref)}`;

  return {
    name: 'xihaike',
    async submitCase(input) {
      const body = toXhkCase(input, ctx.partner, options.valueMaps);
      const created = await client.call({ method: 'POST', path: '/api/v2/cases', schema: createdSchema, body });
      const { serviceCode } = itemMapping(ctx.partner, input.itemCode);
      return { partnerRef: created.ajid, state: xhkState(created.zt, serviceCode, ctx.partner), at: fromXhkTime(created.sjsj) };
    },
    async queryStatus(partnerRef) {
      return reportFromXhkCase(await client.call({ method: 'GET', path: casePath(partnerRef), schema: xhkCaseSchema }), ctx.partner);
    },
    async withdraw(partnerRef, reason) {
      await client.call({ method: 'POST', path: `${casePath(partnerRef)}/revoke`, schema: revokedSchema, body: { chyy: reason } });
    },
    async provideSupplement(partnerRef, materials, note) {
      await client.call({ method: 'POST', path: `${casePath(partnerRef)}/supplement`, schema: supplementedSchema, body: toXhkSupplement(materials, note) });
    },
    listUpdatedSince: (since) => listUpdatedSince(ctx, client, options, since),
    parseCallback: (raw) => parseXhkCallback(ctx, options, raw),
    async health() {
      const started = ctx.clock.now();
      try {
        const { status } = await client.call({ method: 'GET', path: '/api/v2/health', schema: healthSchema, anonymous: true });
        return { ok: status === 'UP', latencyMs: ctx.clock.now() - started, ...(status === 'UP' ? {} : { detail: `status ${status}` }) };
      } catch (e) {
        return { ok: false, latencyMs: ctx.clock.now() - started, detail: e instanceof AdapterError ? `${e.kind}: ${e.message}` : 'failed' };
      }
    },
  };
}

async function listUpdatedSince(ctx: AdapterContext, client: ReturnType<typeof createXhkClient>, options: XihaikeOptions, since: string): Promise<StatusReport[]> {
  const updatedSince = toXhkTime(since);
  const latest = new Map<string, StatusReport>();
  for (let page = 1; page <= MAX_PAGES; page++) {
    const query = new URLSearchParams({ updatedSince, page: String(page), pageSize: String(options.pageSize) });
    const answer = await client.call({ method: 'GET', path: `/api/v2/cases?${query}`, schema: pageSchema });
    if (answer.page !== page) throw new AdapterError('bad_response', `${ctx.partner.member}: asked for page ${page}, got page ${answer.page}`);
    for (const c of answer.list) {
      latest.delete(c.ajid);
      latest.set(c.ajid, reportFromXhkCase(c, ctx.partner));
    }
    if (answer.list.length === 0 || page * options.pageSize >= answer.total) return [...latest.values()];
  }
  throw new AdapterError('bad_response', `${ctx.partner.member}: more than ${MAX_PAGES} pages of updated cases`);
}

async function parseXhkCallback(ctx: AdapterContext, options: XihaikeOptions, raw: RawCallback): Promise<CallbackEvent[]> {
  const refuse = (why: string) => new AdapterError('bad_callback', `${ctx.partner.member}: callback ${why}`);
  const secret = secretFor(ctx, 'callbackSecret');
  const timestamp = raw.headers.get('x-xhk-timestamp')?.trim() ?? '';
  const signature = raw.headers.get('x-xhk-signature')?.trim() ?? '';
  if (!/^\d{1,12}$/.test(timestamp)) throw refuse('without a valid X-Xhk-Timestamp');
  if (!(await verifyHmacHex(secret, concat([utf8(`${timestamp}.`), raw.body]), signature))) throw refuse(`signature ${signature ? 'does not verify' : 'missing'}`);
  if (Math.abs(seconds(ctx.clock) - Number(timestamp)) > options.callbackToleranceSeconds) throw refuse(`timestamp ${timestamp} is outside ±${options.callbackToleranceSeconds} s`);
  const body = callbackSchema.safeParse(decodeJson(raw.body));
  if (!body.success) throw refuse(`body off its schema (${issues(body.error)})`);
  try {
    return eventsFromXhkCallback(body.data, ctx.partner);
  } catch (e) {
    if (e instanceof AdapterError && e.kind === 'bad_response') throw refuse(e.message);
    throw e;
  }
}

export const xihaikeAdapter: AdapterFactory = {
  validateOptions(options) {
    const parsed = xihaikeOptionsSchema.safeParse(options ?? {});
    return parsed.success ? [] : optionProblems(parsed.error);
  },
  requiredFields: (_mapping: ItemMapping) => [...XHK_REQUIRED_FIELDS],
  create: createXihaikeAdapter,
};
