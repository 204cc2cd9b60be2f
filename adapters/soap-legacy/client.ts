import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { z } from 'zod';
import { readLimited } from '../../src/lib/http';
import { AdapterError, type AdapterContext } from '../types';
import { envelope, soapAction, type Credentials } from './envelope';
import { faultKind } from './mapping';
import { faultSchema, type SoapOptions } from './schema';

// Prefixes vary between toolkits (soap:, soapenv:, SOAP-ENV:, ns2:), so answers are read by local name.
// Values stay strings: a case number 0012 is not the number 12.
const parser = new XMLParser({
  removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, trimValues: true,
  ignoreDeclaration: true, ignorePiTags: true, htmlEntities: true,
});

/** The charset the partner declared: BOM, then the Content-Type `charset`, then the XML declaration; else UTF-8. */
export function declaredCharset(contentType: string | null, bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  const fromHeader = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
  if (fromHeader) return fromHeader;
  // The declaration is ASCII in every charset a SOAP partner uses, so any ASCII-compatible reading finds it.
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 200));
  return /^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1] ?? 'utf-8';
}

/** Decodes the body by its declared charset, refusing bytes that are not that charset. */
export function decodeXml(contentType: string | null, bytes: Uint8Array): string {
  const charset = declaredCharset(contentType, bytes);
  let decoder: TextDecoder;
  try { decoder = new TextDecoder(charset, { fatal: true }); } catch (e) {
    throw new AdapterError('bad_response', `unknown charset ${charset}`, undefined, { cause: e });
  }
  try { return decoder.decode(bytes); } catch (e) {
    throw new AdapterError('bad_response', `the body is not valid ${charset}`, undefined, { cause: e });
  }
}

type Parsed = { ok: true; body: Record<string, unknown> } | { ok: false; reason: string };

/** The SOAP Body's children, or why there are none. Never throws. */
export function parseSoapBody(contentType: string | null, bytes: Uint8Array): Parsed {
  try {
    const text = decodeXml(contentType, bytes);
    if (/<!DOCTYPE/i.test(text)) return { ok: false, reason: 'a DTD in a SOAP message' };
    const valid = XMLValidator.validate(text);
    if (valid !== true) return { ok: false, reason: `malformed XML: ${valid.err.msg} (line ${valid.err.line})` };
    const doc: unknown = parser.parse(text);
    const body = (doc as { Envelope?: { Body?: unknown } } | null)?.Envelope?.Body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: 'no SOAP Envelope/Body' };
    return { ok: true, body: body as Record<string, unknown> };
  } catch (e) {
    return { ok: false, reason: e instanceof AdapterError ? e.message : `unparsable XML: ${(e as Error).message}` };
  }
}

function errorCodeIn(detail: unknown): string | undefined {
  if (typeof detail !== 'object' || detail === null) return undefined;
  const d = detail as Record<string, unknown>;
  if (typeof d.errorCode === 'string') return d.errorCode;
  for (const v of Object.values(d)) {
    const code = (v as Record<string, unknown> | null)?.errorCode;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function faultError(operation: string, raw: unknown, options: SoapOptions): AdapterError {
  const fault = faultSchema.safeParse(raw);
  if (!fault.success) return new AdapterError('bad_response', `${operation}: a SOAP Fault without a faultcode`);
  const code = errorCodeIn(fault.data.detail);
  const kind = faultKind(fault.data.faultcode, code, options.faultCodes);
  return new AdapterError(kind, `${operation}: ${fault.data.faultcode}${code ? ` ${code}` : ''} ${fault.data.faultstring.slice(0, 200)}`.trim());
}

function transportError(operation: string, e: unknown): AdapterError {
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new AdapterError('timeout', `${operation}: no answer in time`, undefined, { cause: e });
  if (e instanceof RangeError) return new AdapterError('bad_response', `${operation}: ${e.message}`, undefined, { cause: e });
  return new AdapterError('unavailable', `${operation}: ${(e as Error)?.message ?? 'connection failed'}`, undefined, { cause: e });
}

/** The SOAP verdict on an HTTP answer: a fault wins whatever the status; then the status; then the shape. */
export function interpret(operation: string, status: number, contentType: string | null, bytes: Uint8Array, options: SoapOptions): unknown {
  const doc = parseSoapBody(contentType, bytes);
  if (doc.ok && doc.body.Fault !== undefined) throw faultError(operation, doc.body.Fault, options);
  if (status === 401 || status === 403) throw new AdapterError('auth', `${operation}: HTTP ${status}`);
  if (status >= 500) throw new AdapterError('unavailable', `${operation}: HTTP ${status} without a SOAP fault`);
  if (status < 200 || status > 299) throw new AdapterError('bad_response', `${operation}: HTTP ${status}`);
  if (!doc.ok) throw new AdapterError('bad_response', `${operation}: ${doc.reason}`);
  const answer = doc.body[`${operation}Response`];
  if (answer === undefined) throw new AdapterError('bad_response', `${operation}: no ${operation}Response in the SOAP Body`);
  return answer;
}

/** Checks an answer against the partner's documented shape. */
export function expectShape<S extends z.ZodType>(operation: string, schema: S, answer: unknown): z.output<S> {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => i.path.join('.') || '(answer)').join(', ');
  throw new AdapterError('bad_response', `${operation}Response does not match the CaseService shape: ${fields}`);
}

export interface SoapClient {
  /** Posts `<operation>inner</operation>` and returns the `<operation>Response` element, parsed. */
  call(operation: string, inner: string): Promise<unknown>;
}

export function createSoapClient(ctx: AdapterContext, options: SoapOptions): SoapClient {
  const url = ctx.partner.backOffice.baseUrl.replace(/\/+$/, '') + options.servicePath;
  const credentials = (): Credentials => ({ username: secret(ctx, 'username'), password: secret(ctx, 'password') });
  return {
    async call(operation, inner) {
      const body = envelope(options, credentials(), operation, inner);
      const started = ctx.clock.now();
      const signal = AbortSignal.timeout(ctx.partner.backOffice.timeoutMs);
      let status = 0;
      try {
        const res = await ctx.fetch(url, {
          method: 'POST', body, signal, redirect: 'manual',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: soapAction(options, operation), accept: 'text/xml' },
        });
        status = res.status;
        const bytes = await readLimited(res.body, options.maxResponseBytes);
        return interpret(operation, res.status, res.headers.get('content-type'), bytes, options);
      } catch (e) {
        throw e instanceof AdapterError ? e : transportError(operation, e);
      } finally {
        ctx.logger.debug({ partner: ctx.partner.member, operation, status, ms: ctx.clock.now() - started }, 'soap call');
      }
    },
  };
}

function secret(ctx: AdapterContext, role: 'username' | 'password'): string {
  const name = ctx.partner.auth[role];
  if (!name) throw new AdapterError('auth', `${ctx.partner.member}: the partner file names no auth.${role}`);
  const value = ctx.secret(name);
  if (!value) throw new AdapterError('auth', `${ctx.partner.member}: ${name} (auth.${role}) is not set`);
  return value;
}
