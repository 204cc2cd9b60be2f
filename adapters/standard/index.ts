/**
 * `standard`: the alliance's own JSON case API, as a member on the national platform offers it.
 *
 *   GET  /api/health                  -> 200 {status: "ok"}                               (no auth)
 *   POST /api/cases                   -> 201 {id, status, createdAt}  (200 and the same case for a repeated externalRef)
 *        {serviceCode, externalRef, mode, callbackUrl?, fields: {<fieldMap names>}, materials: [{requirement,
 *         name, mediaType, size, sha256, content (base64)}]}
 *   GET  /api/cases/{id}              -> 200 {id, externalRef, serviceCode, status, updatedAt, events: [{id, status, at, note?, data?}]}
 *   POST /api/cases/{id}/withdraw     {reason} -> 200 {id, status: "withdrawn"}; 409 once decided
 *   POST /api/cases/{id}/supplements  {materials: [same shape as above], note?} -> 200 {id, status} (the status the case
 *        had before supplements were requested); 409 when the case is not supplement_requested, except for a repeat
 *        of its last supplement (the same sha256s), answered 200; 422 when a size or sha256 does not match the content
 *   Auth: `Authorization: Bearer <API key>` (partner file `auth.apiKey`); 401 without it.
 *   Errors: application/problem+json {type, title, status, detail, errors?: [{field, reason}]};
 *     400/409/422 -> rejected, 401/403 -> auth, 404 -> not_found, 429/5xx -> unavailable.
 *   Statuses: the alliance's state names (received, accepted, rejected, supplement_requested, approved,
 *     denied, result_issued, shipped, delivered, returned, withdrawn, closed); a partner file may map others.
 *   Callbacks: `POST <options.callbackUrl>` with one {eventId, caseId, externalRef, serviceCode, status, at,
 *     note?, data?} and `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>` keyed by `auth.callbackSecret`.
 */
import type { ItemMapping } from '../../src/services/partners/schema';
import { AdapterError, type AdapterContext, type AdapterFactory, type CallbackEvent, type PartnerAdapter, type RawCallback } from '../types';
import { createStandardClient, secretFor } from './client';
import { decodeJson, issues } from '../common/http';
import { STANDARD_REQUIRED_FIELDS, eventFromCallback, reportFromCase, standardState, toCaseRequest, toSupplementRequest } from './mapping';
import { callbackSchema, caseCreatedSchema, caseSchema, healthSchema, optionProblems, standardOptionsSchema, supplementedSchema, withdrawnSchema, type StandardOptions } from './schema';
import { verifyHmacHex } from '../common/signature';

export function createStandardAdapter(ctx: AdapterContext): PartnerAdapter {
  const client = createStandardClient(ctx);
  const problems = standardAdapter.validateOptions(ctx.partner.options);
  if (problems.length) throw new Error(`${ctx.partner.member}: invalid standard options: ${problems.join('; ')}`);
  const options = (ctx.partner.options ?? {}) as StandardOptions;
  const casePath = (ref: string) => `/api/cases/${encodeURIComponent(ref)}`;

  return {
    name: 'standard',
    async submitCase(input) {
      const body = toCaseRequest(input, ctx.partner, options);
      const created = await client.call({ method: 'POST', path: '/api/cases', schema: caseCreatedSchema, body });
      return { partnerRef: created.id, state: standardState(created.status, body.serviceCode, ctx.partner), at: created.createdAt };
    },
    async queryStatus(partnerRef) {
      return reportFromCase(await client.call({ method: 'GET', path: casePath(partnerRef), schema: caseSchema }), ctx.partner);
    },
    async withdraw(partnerRef, reason) {
      await client.call({ method: 'POST', path: `${casePath(partnerRef)}/withdraw`, schema: withdrawnSchema, body: { reason } });
    },
    async provideSupplement(partnerRef, materials, note) {
      await client.call({ method: 'POST', path: `${casePath(partnerRef)}/supplements`, schema: supplementedSchema, body: toSupplementRequest(materials, note) });
    },
    parseCallback: (raw) => parseStandardCallback(ctx, raw),
    async health() {
      const started = ctx.clock.now();
      try {
        const { status } = await client.call({ method: 'GET', path: '/api/health', schema: healthSchema, anonymous: true });
        return { ok: status === 'ok', latencyMs: ctx.clock.now() - started, ...(status === 'ok' ? {} : { detail: `status ${status}` }) };
      } catch (e) {
        return { ok: false, latencyMs: ctx.clock.now() - started, detail: e instanceof AdapterError ? `${e.kind}: ${e.message}` : 'failed' };
      }
    },
  };
}

async function parseStandardCallback(ctx: AdapterContext, raw: RawCallback): Promise<CallbackEvent[]> {
  const secret = secretFor(ctx, 'callbackSecret');
  const header = raw.headers.get('x-signature') ?? '';
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match || !(await verifyHmacHex(secret, raw.body, match[1]!))) {
    throw new AdapterError('bad_callback', `${ctx.partner.member}: callback signature ${header ? 'does not verify' : 'missing'}`);
  }
  const parsed = callbackSchema.safeParse(decodeJson(raw.body));
  if (!parsed.success) throw new AdapterError('bad_callback', `${ctx.partner.member}: callback body off its schema (${issues(parsed.error)})`);
  return [eventFromCallback(parsed.data, ctx.partner)];
}

export const standardAdapter: AdapterFactory = {
  validateOptions(options) {
    const parsed = standardOptionsSchema.safeParse(options ?? {});
    return parsed.success ? [] : optionProblems(parsed.error);
  },
  requiredFields: (_mapping: ItemMapping) => [...STANDARD_REQUIRED_FIELDS],
  create: createStandardAdapter,
};
