import type { Self } from '../context';
import { seconds, type Clock } from '../lib/clock';
import { utf8 } from '../lib/encoding';
import { isAppError } from '../lib/errors';
import { readLimited, type FetchLike } from '../lib/http';
import type { Ids } from '../lib/ids';
import type { ResponseClaims } from './envelope/claims';
import { signRequest } from './envelope/sign';
import { verifyResponse } from './envelope/verify';
import { defaultEngine, type JwsEngine } from './engine';
import type { EvidenceEntry, EvidenceLog } from './evidence/log';
import type { RegistryStore } from './registry/store';

export type ClientErrorKind = 'unknown_member' | 'member_suspended' | 'timeout' | 'network' | 'bad_response_signature' | 'response_too_large' | 'evidence_unavailable';

/** Why a call produced no verified answer. `retryable` follows §5. */
export class FederationClientError extends Error {
  constructor(readonly kind: ClientErrorKind, message: string, readonly retryable: boolean, readonly status?: number) {
    super(message);
    this.name = 'FederationClientError';
  }
}

export interface SignedCall {
  to: string;
  method: 'GET' | 'POST';
  /** Path with optional `?query`, e.g. `/federation/v1/ping`. */
  path: string;
  /** A JSON value, or exact bytes to send. */
  body?: unknown;
  idempotencyKey?: string;
  /** The case the call concerns, written with its evidence. */
  caseRef?: string;
}

export interface SignedAnswer {
  status: number;
  body: Uint8Array;
  contentType: string | null;
  /** Whether the response signature verified (always true for 2xx: an unverified 2xx is an error). */
  verified: boolean;
  /** The `Handshake-Response` token: for a 2xx to a transfer, the receipt. */
  responseToken: string | null;
  responseClaims: ResponseClaims | null;
  requestJti: string;
  elapsedMs: number;
  /** §5: 401 unknown_key, 408, 429 and 5xx may be retried; other 4xx are final. */
  retryable: boolean;
  json<T = unknown>(): T;
}

export interface FederationClientOptions {
  self: Self;
  registry: RegistryStore;
  fetch: FetchLike;
  clock: Clock;
  ids: Ids;
  engine?: JwsEngine;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Keeps what is sent and every verified answer; without it (CLI ping, tests) nothing is kept. */
  evidence?: EvidenceLog;
}

/**
 * Outbound handshake/1 calls: signed at send time, response verified (§4). No transport retries: a
 * retry is a new, freshly signed attempt decided by the caller (the outbox).
 * @example const answer = await client.send({ to: 'xihaike', method: 'POST', path: '/federation/v1/ping' });
 */
export function createFederationClient(opts: FederationClientOptions) {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxResponseBytes = opts.maxResponseBytes ?? 8 * 1024 * 1024;

  async function send(call: SignedCall): Promise<SignedAnswer> {
    const member = opts.registry.current()?.members.get(call.to);
    if (!member) throw new FederationClientError('unknown_member', `member ${call.to} is not in the registry`, false);
    if (member.status !== 'active') throw new FederationClientError('member_suspended', `member ${call.to} is suspended`, false);
    const body = call.body === undefined ? new Uint8Array() : call.body instanceof Uint8Array ? call.body : utf8(JSON.stringify(call.body));
    const url = member.endpoint.replace(/\/+$/, '') + call.path;
    const { token, claims } = await signRequest(opts.self.signer, { iss: opts.self.memberId, aud: call.to, method: call.method, url, body }, opts.clock, opts.ids, opts.engine ?? defaultEngine);
    const headers: Record<string, string> = { 'handshake-request': token, accept: 'application/json, application/problem+json, application/jwt' };
    if (body.byteLength) headers['content-type'] = 'application/json; charset=utf-8';
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    await keep({ kind: 'request_sent', peer: call.to, method: call.method, path: call.path, token, body, caseRef: call.caseRef });
    const started = opts.clock.now();
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Response;
    let resBody: Uint8Array;
    try {
      res = await opts.fetch(url, { method: call.method, headers, body: call.method === 'GET' ? undefined : (body as Uint8Array<ArrayBuffer>), signal, redirect: 'manual' });
      resBody = await readLimited(res.body, maxResponseBytes);
    } catch (e) {
      if (e instanceof RangeError) throw new FederationClientError('response_too_large', `answer of ${call.to} over ${maxResponseBytes} bytes`, false);
      if (signal.aborted) throw new FederationClientError('timeout', `no answer from ${call.to} within ${timeoutMs} ms`, true);
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new FederationClientError('network', `cannot reach ${call.to}: ${(e as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`, true);
    }
    return answer(call, res, resBody, claims.jti, opts.clock.now() - started);
  }

  async function answer(call: SignedCall, res: Response, body: Uint8Array, requestJti: string, elapsedMs: number): Promise<SignedAnswer> {
    const responseToken = res.headers.get('handshake-response');
    let responseClaims: ResponseClaims | null = null;
    let failure: string | null = null;
    try {
      responseClaims = (await verifyResponse({ token: responseToken, status: res.status, body, requestJti }, {
        registry: opts.registry.current(), selfId: opts.self.memberId, nowSec: seconds(opts.clock), engine: opts.engine,
      })).claims;
      if (responseClaims.iss !== call.to) failure = `signed by ${responseClaims.iss}, not ${call.to}`;
    } catch (e) {
      failure = isAppError(e) ? `${e.code}: ${e.message}` : 'unverifiable';
    }
    if (failure && res.status >= 200 && res.status < 300) {
      throw new FederationClientError('bad_response_signature', `a ${res.status} from ${call.to} without a valid response signature (${failure})`, true, res.status);
    }
    if (!failure) await keep({ kind: 'response_received', peer: call.to, method: call.method, path: call.path, token: responseToken!.trim(), body, caseRef: call.caseRef }, res.status);
    const contentType = res.headers.get('content-type');
    return {
      status: res.status, body, contentType, verified: failure === null, responseToken, responseClaims: failure ? null : responseClaims,
      requestJti, elapsedMs, retryable: isRetryable(res.status, body),
      json: <T>() => JSON.parse(new TextDecoder().decode(body)) as T,
    };
  }

  /** Nothing is sent, and no answer (no receipt) is taken, unproven: the caller (the outbox) retries later. */
  async function keep(entry: EvidenceEntry, status?: number): Promise<void> {
    try {
      await opts.evidence?.record(entry);
    } catch (e) {
      throw new FederationClientError('evidence_unavailable', `the ${entry.kind} to ${entry.peer} could not be kept as evidence: ${(e as Error).message}`, true, status);
    }
  }

  return { send };
}

export type FederationClient = ReturnType<typeof createFederationClient>;

function isRetryable(status: number, body: Uint8Array): boolean {
  if (status === 408 || status === 429 || status >= 500) return true;
  if (status !== 401) return false;
  try {
    return (JSON.parse(new TextDecoder().decode(body)) as { code?: string }).code === 'unknown_key';
  } catch {
    return false;
  }
}
