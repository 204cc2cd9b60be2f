import type { Hook } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { NUL_MESSAGE, pathOfNul } from '../../lib/json-text';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../../context';
import { AppError, type ErrorCode, type FieldError } from '../../lib/errors';

const TARGETS: Record<string, string> = {
  param: 'path parameters', query: 'query', header: 'headers', cookie: 'cookies', json: 'body', form: 'form',
};

/** `a.b[0].c`, as the federation routes name body fields. */
export const fieldPath = (path: readonly PropertyKey[]): string =>
  path.map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n ? '.' : ''}${String(p)}`)).join('');

/** The API's defaultHook: a request off its schema is 400 `invalid_request` naming every bad field. */
export const rejectInvalid: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) {
    // PostgreSQL text cannot hold U+0000 and no field means to: 400 at the field, before any service runs.
    const nul = result.target === 'json' ? pathOfNul(result.data) : null;
    if (nul !== null) throw new AppError('invalid_request', 'the body is not valid: 1 problem', { errors: [{ path: nul, message: NUL_MESSAGE }] });
    return;
  }
  const errors: FieldError[] = result.error.issues.map((i) => ({ path: fieldPath(i.path), message: i.message }));
  const what = TARGETS[result.target] ?? result.target;
  throw new AppError('invalid_request', `the ${what} ${what.endsWith('s') ? 'are' : 'is'} not valid: ${errors.length} problem${errors.length > 1 ? 's' : ''}`, { errors });
};

const BY_STATUS: Partial<Record<ContentfulStatusCode, ErrorCode>> = {
  400: 'invalid_request', 404: 'not_found', 413: 'payload_too_large', 415: 'unsupported_media_type',
};

/**
 * The API's onError. The validators of @hono/zod-openapi throw HTTPException (malformed JSON 400, a
 * body of another media type 415): those become AppErrors, and everything is rethrown so the app's
 * onError renders and logs it once, as for every other route.
 */
export function asAppError(err: Error): never {
  if (err instanceof HTTPException && err.status < 500) {
    const code = BY_STATUS[err.status] ?? 'invalid_request';
    throw new AppError(code, err.message || 'the request is not valid', { status: err.status, cause: err });
  }
  throw err;
}
