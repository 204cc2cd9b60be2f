import { fromBase64url, fromUtf8 } from '../../../lib/encoding';
import type { FieldError } from '../../../lib/errors';
import { MAX_TOKEN_SECONDS, SKEW_SECONDS } from './schema';

/** Grants that reach beyond joining one room: a token carrying any of them is not an invitation. */
const FORBIDDEN_VIDEO_GRANTS = ['roomAdmin', 'roomCreate', 'roomRecord', 'roomList', 'ingressAdmin'] as const;

type Claims = Record<string, unknown>;

function decodePart(part: string): Claims | null {
  try {
    const value: unknown = JSON.parse(fromUtf8(fromBase64url(part)));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Claims) : null;
  } catch {
    return null;
  }
}

const isObject = (v: unknown): v is Claims => v !== null && typeof v === 'object' && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * What is wrong with a §7.3 LiveKit token for `room`, as paths under `token`. The token is decoded, not
 * verified: LiveKit signs it with the inviting member's API secret (HS256), which only LiveKit holds.
 * What we can check is that it admits one identity to that room, nothing more, for at most 15 minutes,
 * and that the invitation does not outlive it. Messages never quote the token.
 */
export function liveKitTokenProblems(token: string, want: { room: string; expiresAtSec: number; nowSec: number }): FieldError[] {
  const [h, p] = token.split('.');
  const header = decodePart(h ?? '');
  const claims = decodePart(p ?? '');
  if (!header || !claims) return [{ path: 'token', message: 'header and payload must be base64url JSON objects' }];
  const problems: FieldError[] = [];
  const bad = (path: string, message: string) => problems.push({ path: `token.${path}`, message });
  if (typeof header.alg !== 'string' || header.alg === 'none') bad('alg', 'must name a signature algorithm');
  if (typeof claims.sub !== 'string' || !claims.sub) bad('sub', 'must name the identity the token admits');
  const video = claims.video;
  if (!isObject(video)) bad('video', 'must hold the room grant');
  else {
    if (video.room !== want.room) bad('video.room', 'must be the invitation\'s room');
    if (video.roomJoin !== true) bad('video.roomJoin', 'must be true');
    for (const g of FORBIDDEN_VIDEO_GRANTS) if (video[g]) bad(`video.${g}`, 'must not be granted to an invitee');
  }
  if (isObject(claims.sip) && (claims.sip.admin || claims.sip.call)) bad('sip', 'must not grant SIP administration or calls');
  problems.push(...lifetimeProblems(claims, want));
  return problems;
}

function lifetimeProblems(claims: Claims, want: { expiresAtSec: number; nowSec: number }): FieldError[] {
  const { exp } = claims;
  const start = claims.nbf ?? claims.iat;
  if (!isTime(exp)) return [{ path: 'token.exp', message: 'must be a NumericDate' }];
  if (!isTime(start)) return [{ path: 'token.nbf', message: 'nbf or iat must be a NumericDate' }];
  if (exp - start > MAX_TOKEN_SECONDS) return [{ path: 'token.exp', message: `the lifetime is ${exp - start} s; at most ${MAX_TOKEN_SECONDS} s` }];
  if (exp <= want.nowSec - SKEW_SECONDS) return [{ path: 'token.exp', message: 'the token has expired' }];
  if (exp > want.nowSec + MAX_TOKEN_SECONDS + SKEW_SECONDS) return [{ path: 'token.exp', message: `more than ${MAX_TOKEN_SECONDS / 60} minutes ahead` }];
  if (want.expiresAtSec > exp + SKEW_SECONDS) return [{ path: 'expiresAt', message: "must not be after the token's exp" }];
  return [];
}

/** What is wrong with the invitation's own expiry, at `nowSec`. */
export function expiryProblems(expiresAtSec: number, nowSec: number): FieldError[] {
  if (expiresAtSec <= nowSec) return [{ path: 'expiresAt', message: 'the invitation has expired' }];
  if (expiresAtSec > nowSec + MAX_TOKEN_SECONDS + SKEW_SECONDS) return [{ path: 'expiresAt', message: `more than ${MAX_TOKEN_SECONDS / 60} minutes ahead` }];
  return [];
}
