import type { z } from 'zod';
import { AppError } from '../../lib/errors';
import { readLimited } from '../../lib/http';
import { fromUtf8 } from '../../lib/encoding';
import { NUL_MESSAGE, pathOfNul } from '../../lib/json-text';

/** Reads the raw request body once, refusing more than `limit` bytes with 413 before buffering it all. */
export async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const length = req.headers.get('content-length');
  if (Number(length ?? '0') > limit) throw tooLarge(limit);
  // A declared empty body (or none, on GET) is not worth a stream.
  if (length === '0' || !req.body) return new Uint8Array();
  try {
    return await readLimited(req.body, limit);
  } catch (e) {
    if (e instanceof RangeError) throw tooLarge(limit);
    throw e;
  }
}

const tooLarge = (limit: number) => new AppError('payload_too_large', `the body is over ${limit} bytes`);

/** Parses a JSON body; 415 for another media type, 400 for bytes that are not JSON. */
export function parseJsonBody(body: Uint8Array, contentType: string | null): unknown {
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? '')) {
    throw new AppError('unsupported_media_type', 'the body must be application/json; charset=utf-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(body));
  } catch {
    throw new AppError('invalid_request', 'the body is not valid UTF-8 JSON', { errors: [{ path: '', message: 'not valid JSON' }] });
  }
  const nul = pathOfNul(value);
  if (nul !== null) throw new AppError('invalid_request', 'the body is not valid: 1 problem', { errors: [{ path: nul, message: NUL_MESSAGE }] });
  return value;
}

/** The path and `?query` exactly as the client sent them, never rebuilt from Host or X-Forwarded-*. */
export function rawPathAndQuery(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const target = start === -1 ? '/' : url.slice(start);
  const hash = target.indexOf('#');
  const noHash = hash === -1 ? target : target.slice(0, hash);
  return noHash.endsWith('?') ? noHash.slice(0, -1) : noHash;
}

/** JSON body checked against a zod schema: 415 / 400 with every bad field as `errors[]`. */
export function parseBody<S extends z.ZodType>(schema: S, body: Uint8Array, contentType: string | null): z.infer<S> {
  const parsed = schema.safeParse(parseJsonBody(body, contentType));
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((i) => ({ path: i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n ? '.' : ''}${String(p)}`)).join(''), message: i.message }));
  throw new AppError('invalid_request', `the body is not valid: ${errors.length} problem${errors.length > 1 ? 's' : ''}`, { errors });
}
