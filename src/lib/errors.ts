/** The closed set of error codes of handshake/1 §6, and their HTTP status. */
export const ERROR_STATUS = {
  invalid_request: 400,
  missing_signature: 401,
  bad_header: 401,
  unknown_key: 401,
  key_revoked: 401,
  bad_signature: 401,
  bad_claims: 401,
  expired: 401,
  future: 401,
  iss_key_mismatch: 401,
  aud_mismatch: 401,
  method_mismatch: 401,
  url_mismatch: 401,
  digest_mismatch: 401,
  replay: 401,
  member_suspended: 403,
  not_authorized: 403,
  not_found: 404,
  idempotency_conflict: 409,
  invalid_transition: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  upstream_unavailable: 503,
  upstream_timeout: 504,
  internal: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

const TITLES: Record<ErrorCode, string> = {
  invalid_request: 'Invalid request',
  missing_signature: 'Missing signature',
  bad_header: 'Bad signature header',
  unknown_key: 'Unknown key',
  key_revoked: 'Key revoked',
  bad_signature: 'Bad signature',
  bad_claims: 'Bad claims',
  expired: 'Signature expired',
  future: 'Signature issued in the future',
  iss_key_mismatch: 'Issuer does not own the key',
  aud_mismatch: 'Wrong audience',
  method_mismatch: 'Method mismatch',
  url_mismatch: 'URL mismatch',
  digest_mismatch: 'Body digest mismatch',
  replay: 'Replayed request',
  member_suspended: 'Member suspended',
  not_authorized: 'Not authorized',
  not_found: 'Not found',
  idempotency_conflict: 'Idempotency conflict',
  invalid_transition: 'Invalid transition',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Rate limited',
  upstream_unavailable: 'Upstream unavailable',
  upstream_timeout: 'Upstream timeout',
  internal: 'Internal error',
};

export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  errors?: FieldError[];
  /** Only for statuses §6 has no code of its own (405): the code stays one of the closed set. */
  status?: number;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** The one error class of the gateway; `code` is always one of handshake/1 §6. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, detail: string, options: AppErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 body; an unexpected error says nothing but the request id. */
export function toProblem(err: unknown, requestId: string): Problem {
  if (!isAppError(err) || err.code === 'internal') {
    return { type: problemType('internal'), title: TITLES.internal, status: 500, detail: `Internal error; request ${requestId}`, code: 'internal', requestId };
  }
  const problem: Problem = { type: problemType(err.code), title: TITLES[err.code], status: err.status, detail: err.message, code: err.code, requestId };
  if (err.errors?.length) problem.errors = err.errors;
  return problem;
}

export function problemResponse(err: unknown, requestId: string): Response {
  const problem = toProblem(err, requestId);
  const headers = new Headers({ 'content-type': PROBLEM_CONTENT_TYPE });
  if (isAppError(err) && err.headers) for (const [k, v] of Object.entries(err.headers)) headers.set(k, v);
  return new Response(JSON.stringify(problem), { status: problem.status, headers });
}

const problemType = (code: ErrorCode) => `urn:handshake:problem:${code}`;
