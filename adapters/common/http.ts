import type { z } from 'zod';
import { fromUtf8 } from '../../src/lib/encoding';
import { readLimited, type FetchLike } from '../../src/lib/http';
import { redactText } from '../../src/lib/logger';
import { AdapterError, type AdapterErrorKind } from '../types';

// Shared by the JSON adapters (standard, xihaike): one exchange under a timeout, and the parsing of its
// answer, each failure turned into an AdapterError. It belongs in a common folder once there is one.

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** Partner answers are small JSON documents; anything bigger is not what the partner documents. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * One HTTP exchange, body included, within `timeoutMs`. Never throws anything but AdapterError:
 * abort -> timeout, connection failure -> unavailable, oversized body -> bad_response.
 */
export async function exchange(fetch: FetchLike, url: string, init: RequestInit, timeoutMs: number, what: string): Promise<RawAnswer> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { ...init, signal, redirect: 'manual' });
    const body = await readLimited(res.body, MAX_ANSWER_BYTES);
    return { status: res.status, headers: res.headers, body };
  } catch (e) {
    if (e instanceof RangeError) throw new AdapterError('bad_response', `${what}: answer over ${MAX_ANSWER_BYTES} bytes`, false, { cause: e });
    if (signal.aborted) throw new AdapterError('timeout', `${what}: no answer within ${timeoutMs} ms`, undefined, { cause: e });
    throw new AdapterError('unavailable', `${what}: ${describe(e)}`, undefined, { cause: e });
  }
}

/** Decodes a JSON body; undefined when it is not UTF-8 JSON. */
export function decodeJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(fromUtf8(body));
  } catch {
    return undefined;
  }
}

/** Parses a body against the partner's documented shape, or throws bad_response naming the first bad fields. */
export function parseAnswer<S extends z.ZodType>(body: Uint8Array | unknown, schema: S, what: string): z.infer<S> {
  const json = body instanceof Uint8Array ? decodeJson(body) : body;
  if (json === undefined) throw new AdapterError('bad_response', `${what}: answer is not JSON`);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new AdapterError('bad_response', `${what}: answer off its schema (${issues(parsed.error)})`);
  return parsed.data;
}

/** HTTP status -> error kind, for answers that are not 2xx. */
export function kindForStatus(status: number): AdapterErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429 || status >= 500) return 'unavailable';
  if (status >= 400) return 'rejected';
  return 'bad_response';
}

export function issues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Partner text may echo what we sent (names, id numbers): scrub it before it becomes a message. */
export const partnerText = (s: string, max = 200): string => redactText(s.length > max ? `${s.slice(0, max)}...` : s);

function describe(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  return `${err.message ?? String(e)}${err.cause ? ` (${err.cause.code ?? err.cause.message})` : ''}`;
}
