/**
 * `soap-legacy`: a provincial case WebService (CaseService v1), SOAP 1.1 over HTTP POST to `options.servicePath`.
 *
 *   Every request: `SOAPAction: "<namespace>/<Operation>"`, a WS-Security UsernameToken (PasswordText) in the
 *   header (`options.security: header`: `<AuthHeader><userName/><password/>`), `auth.username` / `auth.password`.
 *   SubmitCase     {serviceCode, externalRef, applyData {<fieldMap names>}, materials {material*: code, name, mimeType,
 *                   size, sha256, content (base64)}} -> {caseNo, statusCode, statusTime}; a repeated externalRef returns its case
 *   QueryCase      {caseNo} -> {caseNo, serviceCode, statusCode, statusName?, statusTime, opinion?, documentNo?,
 *                   supplementItems {item*}?, deadline?}
 *   RevokeCase     {caseNo, reason} -> {caseNo, statusCode: CH, statusTime}; E2001 once decided
 *   SupplementCase {caseNo, materials {material*, as SubmitCase}, note?} -> {caseNo, statusCode, statusTime} (back to the
 *                   status before BZ 补正); E2001 when the case is not BZ (a repeat of its last supplement, same sha256s,
 *                   is answered as a success); E1003 when a material's size or sha256 does not match its content
 *   Ping           {} -> {serverTime}
 *   Errors: a SOAP Fault, `<detail><errorCode>` mapped by `options.faultCodes` (E1001 auth, E1003 rejected, E1004
 *     not_found, E2001 rejected, E2002 unavailable...); a Server fault or HTTP 5xx is unavailable. No callbacks: poll.
 *   Statuses (SJ 收件, SL 受理, BYSL 不予受理, BZ 补正, BJ-ZY/BJ-BY 办结, CZ 出证, CH 撤回): by the partner file's statusMap.
 */
import { AdapterError, type AdapterContext, type AdapterFactory, type PartnerAdapter, type StatusReport } from '../types';
import { createSoapClient, expectShape } from './client';
import { el, submitCaseInner, supplementCaseInner } from './envelope';
import { REQUIRED_FIELDS, itemForService, itemMapping, mapStatus, parsePartnerTime, submitFields } from './mapping';
import {
  pingResponseSchema, queryCaseResponseSchema, revokeCaseResponseSchema, soapOptionsSchema, submitCaseResponseSchema, supplementCaseResponseSchema,
  type QueryCaseResponse, type SoapOptions,
} from './schema';

function parseOptions(options: unknown): { options?: SoapOptions; problems: string[] } {
  const parsed = soapOptionsSchema.safeParse(options ?? {});
  if (parsed.success) return { options: parsed.data, problems: [] };
  return { problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`) };
}

function time(operation: string, s: string): string {
  const at = parsePartnerTime(s);
  if (!at) throw new AdapterError('bad_response', `${operation}Response: statusTime ${JSON.stringify(s.slice(0, 40))} is not a time`);
  return at;
}

function report(ctx: AdapterContext, operation: string, r: QueryCaseResponse): StatusReport {
  const state = mapStatus(ctx.partner, itemForService(ctx.partner, r.serviceCode), r.statusCode);
  const data: Record<string, unknown> = {};
  if (r.documentNo) data.documentNo = r.documentNo;
  if (r.supplementItems?.item.length) data.items = r.supplementItems.item;
  if (r.deadline) data.deadline = parsePartnerTime(r.deadline) ?? r.deadline;
  return {
    partnerRef: r.caseNo, state, at: time(operation, r.statusTime),
    ...(r.opinion ? { note: r.opinion } : {}),
    ...(Object.keys(data).length ? { data } : {}),
  };
}

/** A provincial case WebService: SOAP 1.1, WS-Security UsernameToken, status by polling QueryCase. */
export function createSoapLegacyAdapter(ctx: AdapterContext): PartnerAdapter {
  const { options, problems } = parseOptions(ctx.partner.options);
  if (!options) throw new Error(`${ctx.partner.member}: invalid soap-legacy options: ${problems.join('; ')}`);
  const client = createSoapClient(ctx, options);
  const ops = options.operations;
  return {
    name: 'soap-legacy',
    async submitCase(input) {
      const item = itemMapping(ctx.partner, input.itemCode);
      const inner = submitCaseInner(item.serviceCode, input.caseRef, submitFields(input, item), input.materials);
      const r = expectShape(ops.submitCase, submitCaseResponseSchema, await client.call(ops.submitCase, inner));
      return { partnerRef: r.caseNo, state: mapStatus(ctx.partner, item, r.statusCode), at: time(ops.submitCase, r.statusTime) };
    },
    async queryStatus(partnerRef) {
      const answer = await client.call(ops.queryCase, el('caseNo', partnerRef));
      const r = expectShape(ops.queryCase, queryCaseResponseSchema, answer);
      if (r.caseNo !== partnerRef) throw new AdapterError('bad_response', `${ops.queryCase}Response names case ${r.caseNo}, not ${partnerRef}`);
      return report(ctx, ops.queryCase, r);
    },
    async withdraw(partnerRef, reason) {
      const answer = await client.call(ops.revokeCase, el('caseNo', partnerRef) + el('reason', reason));
      const r = expectShape(ops.revokeCase, revokeCaseResponseSchema, answer);
      if (r.caseNo !== partnerRef) throw new AdapterError('bad_response', `${ops.revokeCase}Response names case ${r.caseNo}, not ${partnerRef}`);
    },
    async provideSupplement(partnerRef, materials, note) {
      const answer = await client.call(ops.supplementCase, supplementCaseInner(partnerRef, materials, note));
      const r = expectShape(ops.supplementCase, supplementCaseResponseSchema, answer);
      if (r.caseNo !== partnerRef) throw new AdapterError('bad_response', `${ops.supplementCase}Response names case ${r.caseNo}, not ${partnerRef}`);
    },
    async parseCallback() {
      throw new AdapterError('bad_callback', 'this partner has no callbacks; poll queryStatus');
    },
    async health() {
      const started = ctx.clock.now();
      try {
        expectShape(ops.ping, pingResponseSchema, await client.call(ops.ping, ''));
        return { ok: true, latencyMs: ctx.clock.now() - started };
      } catch (e) {
        const detail = e instanceof AdapterError ? `${e.kind}: ${e.message}` : String(e);
        return { ok: false, latencyMs: ctx.clock.now() - started, detail };
      }
    },
  };
}

export const soapLegacyAdapter: AdapterFactory = {
  validateOptions: (options) => parseOptions(options).problems,
  requiredFields: () => [...REQUIRED_FIELDS],
  create: createSoapLegacyAdapter,
};
