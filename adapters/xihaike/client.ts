import type { z } from 'zod';
import { AdapterError, type AdapterContext } from '../types';
import { secretFor } from '../standard/client';
import { decodeJson, exchange, issues, kindForStatus, parseAnswer, partnerText, type RawAnswer } from '../common/http';
import { kindForCode } from './mapping';
import { envelopeSchema, tokenSchema, type XihaikeOptions } from './schema';
import { createTokenCache, type IssuedToken } from './token';

export interface XhkCall<S extends z.ZodType> {
  method: 'GET' | 'POST';
  /** Path with its query, e.g. `/api/v2/cases?page=1`. */
  path: string;
  /** The shape of the envelope's `data`. */
  schema: S;
  body?: unknown;
  anonymous?: boolean;
}

type Outcome<T> = { ok: true; data: T } | { ok: false; tokenRefused: string };

/**
 * The HTTP side of the 西海岸 adapter: OAuth2 client credentials, envelopes, and one token refresh
 * and retry when the back office says the token is invalid or expired (40100, 40101).
 */
export function createXhkClient(ctx: AdapterContext, options: XihaikeOptions) {
  const base = ctx.partner.backOffice.baseUrl.replace(/\/+$/, '');
  const timeoutMs = ctx.partner.backOffice.timeoutMs;
  const member = ctx.partner.member;
  const tokens = createTokenCache(issueToken, ctx.clock, options.refreshEarlySeconds * 1000);

  async function issueToken(): Promise<IssuedToken> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: secretFor(ctx, 'clientId'), client_secret: secretFor(ctx, 'clientSecret') });
    if (options.scope) form.set('scope', options.scope);
    const what = `${member}: POST ${options.tokenPath}`;
    const answer = await exchange(ctx.fetch, base + options.tokenPath, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString(),
    }, timeoutMs, what);
    const outcome = unwrap(answer, tokenSchema, what);
    // A token endpoint that calls our credentials an invalid token is still refusing the credentials.
    if (!outcome.ok) throw new AdapterError('auth', `${what}: ${outcome.tokenRefused}`, false);
    return { token: outcome.data.access_token, expiresIn: outcome.data.expires_in };
  }

  async function once<S extends z.ZodType>(req: XhkCall<S>, token: string | null): Promise<Outcome<z.infer<S>>> {
    const what = `${member}: ${req.method} ${req.path.split('?')[0]}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (req.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    const init: RequestInit = { method: req.method, headers, ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}) };
    return unwrap(await exchange(ctx.fetch, base + req.path, init, timeoutMs, what), req.schema, what);
  }

  async function call<S extends z.ZodType>(req: XhkCall<S>): Promise<z.infer<S>> {
    if (req.anonymous) return dataOf(await once(req, null), req);
    const token = await tokens.get();
    const first = await once(req, token);
    if (first.ok) return first.data;
    tokens.invalidate(token);
    return dataOf(await once(req, await tokens.get()), req);
  }

  function dataOf<T>(outcome: Outcome<T>, req: XhkCall<z.ZodType>): T {
    if (outcome.ok) return outcome.data;
    throw new AdapterError('auth', `${member}: ${req.method} ${req.path.split('?')[0]}: token refused after a refresh (${outcome.tokenRefused})`, false);
  }

  return { call };
}

export type XhkClient = ReturnType<typeof createXhkClient>;

/** An answer -> its data, a token refusal, or an AdapterError for every other failure. */
function unwrap<S extends z.ZodType>(answer: RawAnswer, schema: S, what: string): Outcome<z.infer<S>> {
  const json = decodeJson(answer.body);
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    // Not an envelope: a proxy's error page, or a body the back office does not document.
    if (answer.status >= 300) throw new AdapterError(kindForStatus(answer.status), `${what}: HTTP ${answer.status}`);
    throw new AdapterError('bad_response', `${what}: ${json === undefined ? 'answer is not JSON' : `not an envelope (${issues(envelope.error)})`}`);
  }
  const { code, msg, data } = envelope.data;
  if (code === 0) return { ok: true, data: parseAnswer(data ?? null, schema, what) };
  const kind = kindForCode(code);
  const text = `${code} ${partnerText(msg ?? '')}`.trim();
  if (kind === 'token') return { ok: false, tokenRefused: text };
  throw new AdapterError(kind, `${what}: ${text}`);
}
