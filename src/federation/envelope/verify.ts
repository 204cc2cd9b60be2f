import type { z } from 'zod';
import { AppError } from '../../lib/errors';
import { utf8 } from '../../lib/encoding';
import { bodyDigest, defaultEngine, type JwsEngine } from '../engine';
import { ACCEPTED_ALGS } from '../keys';
import { parsePayload, parseProtectedHeader } from '../jws';
import { keyUsable, type IndexedKey, type KeyIndex } from '../registry/key-index';
import {
  CLOCK_TOLERANCE, MAX_HEADER_BYTES, REQUEST_TYP, RESPONSE_TYP, SIGNING_ALGS,
  requestClaimsSchema, responseClaimsSchema, type RequestClaims, type ResponseClaims,
} from './claims';

export interface VerifyContext {
  registry: KeyIndex | null;
  /** This gateway's member id: the only acceptable `aud`. */
  selfId: string;
  nowSec: number;
  /** The signature primitives; jose over WebCrypto unless the entry injects another. */
  engine?: JwsEngine;
  /** §3.1 step 3: may refresh the registry once (with its cooldown) and return the new index. */
  onUnknownKey?: () => Promise<KeyIndex | null>;
}

export interface Verified<C> {
  claims: C;
  key: IndexedKey;
}

const fail = (code: ConstructorParameters<typeof AppError>[0], detail: string): never => {
  throw new AppError(code, detail);
};

/** Steps 2-7 of §3.1, shared by requests and responses (§4). Throws AppError with the first failing code. */
async function verifyEnvelope<S extends z.ZodType>(token: string, typ: string, schema: S, ctx: VerifyContext): Promise<Verified<z.infer<S>>> {
  const header = parseProtectedHeader(token, typ, SIGNING_ALGS);
  if (!header) fail('bad_header', `protected header must be exactly {alg: Ed25519|ES256, typ: ${typ}, kid}`);
  const { kid, alg } = header!;
  let key = ctx.registry?.keys.get(kid);
  if (!key && ctx.onUnknownKey) key = (await ctx.onUnknownKey())?.keys.get(kid);
  if (!key) return fail('unknown_key', 'the kid is not in the registry');
  if (!keyUsable(key.jwk, ctx.nowSec)) fail('key_revoked', 'the key is revoked or outside its validity period');
  if (key.member.status !== 'active') fail('member_suspended', `member ${key.member.id} is suspended`);
  const algs = ACCEPTED_ALGS[key.alg];
  if (!algs.includes(alg)) fail('bad_signature', `alg ${alg} is not the registered algorithm of the key`);
  const payload = await (ctx.engine ?? defaultEngine).verify(token, key, algs);
  if (!payload) fail('bad_signature', 'the signature does not verify');
  const parsed = schema.safeParse(parsePayload(payload!));
  if (!parsed.success) fail('bad_claims', `claims missing or malformed: ${parsed.error!.issues.map((i) => i.path.join('.') || i.message).join(', ')}`);
  const claims = parsed.data as RequestClaims | ResponseClaims;
  if (ctx.nowSec > claims.exp + CLOCK_TOLERANCE) fail('expired', 'the signature has expired');
  if (claims.iat > ctx.nowSec + CLOCK_TOLERANCE) fail('future', 'the signature was issued in the future');
  if (claims.iss !== key.member.id) fail('iss_key_mismatch', 'iss is not the owner of the key');
  if (claims.aud !== ctx.selfId) fail('aud_mismatch', `aud must be ${ctx.selfId}`);
  return { claims: parsed.data as z.infer<S>, key };
}

export interface ReceivedRequest {
  /** The `Handshake-Request` header value, or null when absent. */
  token: string | null;
  method: string;
  /** The receiver's configured public base URL (no trailing slash). */
  publicBase: string;
  /** Path plus `?query` exactly as received. */
  pathAndQuery: string;
  body: Uint8Array;
}

/** §3.1 steps 1-8. Steps 9 (authorization) and 10 (replay) follow in the route middleware. */
export async function verifyRequest(req: ReceivedRequest, ctx: VerifyContext): Promise<Verified<RequestClaims>> {
  const token = req.token?.trim() ?? '';
  if (!token) fail('missing_signature', 'the Handshake-Request header is missing');
  if (utf8(token).byteLength > MAX_HEADER_BYTES) fail('missing_signature', 'the Handshake-Request header is over 8 KiB');
  const v = await verifyEnvelope(token, REQUEST_TYP, requestClaimsSchema, ctx);
  if (v.claims.htm !== req.method.toUpperCase()) fail('method_mismatch', 'htm does not match the request method');
  if (v.claims.htu !== req.publicBase + req.pathAndQuery) fail('url_mismatch', 'htu does not match this gateway\'s public URL and the request path');
  if (v.claims.cdg !== (await bodyDigest(ctx.engine ?? defaultEngine, req.body))) fail('digest_mismatch', 'cdg does not match the body received');
  return v;
}

export interface ReceivedResponse {
  token: string | null;
  status: number;
  body: Uint8Array;
  /** The `jti` of the request this answers. */
  requestJti: string;
}

/** §4: a response is checked like a request (steps 2-7), then `cdg`, `rqj` and `hts`. */
export async function verifyResponse(res: ReceivedResponse, ctx: VerifyContext): Promise<Verified<ResponseClaims>> {
  const token = res.token?.trim() ?? '';
  if (!token) fail('missing_signature', 'the Handshake-Response header is missing');
  const v = await verifyEnvelope(token, RESPONSE_TYP, responseClaimsSchema, ctx);
  if (v.claims.cdg !== (await bodyDigest(ctx.engine ?? defaultEngine, res.body))) fail('digest_mismatch', 'cdg does not match the response body');
  if (v.claims.rqj !== res.requestJti) fail('bad_claims', 'rqj does not name the request sent');
  if (v.claims.hts !== res.status) fail('bad_claims', 'hts does not match the HTTP status');
  return v;
}
