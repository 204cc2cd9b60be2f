// Twirp's error contract: JSON {code, msg, meta?} with Content-Type application/json and a fixed status per code.
import type { ServerResponse } from 'node:http';

export type TwirpCode =
  | 'malformed' | 'invalid_argument' | 'unauthenticated' | 'permission_denied' | 'not_found' | 'bad_route'
  | 'already_exists' | 'failed_precondition' | 'resource_exhausted' | 'unavailable' | 'internal' | 'unimplemented';

const statusOf: Record<TwirpCode, number> = {
  malformed: 400,
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  failed_precondition: 412,
  resource_exhausted: 429,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
};

export class TwirpError extends Error {
  constructor(readonly code: TwirpCode, msg: string, readonly meta?: Record<string, string>) {
    super(msg);
  }
}

export function writeTwirpError(res: ServerResponse, err: TwirpError): void {
  const body: Record<string, unknown> = { code: err.code, msg: err.message };
  if (err.meta && Object.keys(err.meta).length > 0) body.meta = err.meta;
  res.writeHead(statusOf[err.code], { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function writeTwirpReply(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The server's auth middleware writes the error text with no content type (Go sniffs text/plain). */
export function writePlain401(res: ServerResponse, text: string): void {
  res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

// The livekit-server errors the fake can answer with (pkg/service/errors.go and auth.go).
export const errors = {
  permissionDenied: () => new TwirpError('unauthenticated', 'permissions denied'),
  roomNotFound: () => new TwirpError('not_found', 'requested room does not exist'),
  participantNotFound: () => new TwirpError('not_found', 'participant does not exist'),
  trackNotFound: () => new TwirpError('not_found', 'track is not found'),
  egressNotFound: () => new TwirpError('not_found', 'egress does not exist'),
  noRoomName: () => new TwirpError('invalid_argument', 'no room name'),
  remoteUnmuteDisabled: () => new TwirpError('failed_precondition', 'remote unmute not enabled'),
};
