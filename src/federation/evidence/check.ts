import { fromBase64, fromUtf8, fromBase64url } from '../../lib/encoding';
import { bodyDigest, type JwsEngine } from '../engine';
import { REQUEST_TYP, RESPONSE_TYP, SIGNING_ALGS, requestClaimsSchema, responseClaimsSchema } from '../envelope/claims';
import { parseProtectedHeader } from '../jws';
import { ACCEPTED_ALGS } from '../keys';
import { EVIDENCE_KINDS, recordHash, type EvidenceKind, type EvidenceRecord } from './record';
import { keyAt, type SnapshotKeys } from './snapshots';

export interface CheckContext {
  keys: SnapshotKeys;
  engine: JwsEngine;
  /** The member whose log this is, when known: the signer of what it sent, the audience of what it received. */
  self?: string;
  /** Opens bodies sealed with the member's data key; without it a sealed body is left unchecked (its digest is still signed). */
  open?: (sealed: string) => Promise<string>;
}

/** Either what is wrong with a record, or the snapshot whose key verified its token. */
export type CheckResult = { ok: false; problem: string } | { ok: true; snapshotSeq: number };

const bad = (problem: string): CheckResult => ({ ok: false, problem });

/**
 * Everything one record can prove on its own: its hash over its fields and `prevHash`, its kept body
 * against `bodyDigest`, and its token: signed by the key its kid had in an anchor-signed snapshot, with
 * `cdg` = `bodyDigest`, between this member and `peer`. The link to the previous record is the caller's.
 */
export async function checkRecord(r: EvidenceRecord, ctx: CheckContext): Promise<CheckResult> {
  if (!(EVIDENCE_KINDS as readonly string[]).includes(r.kind)) return bad(`unknown kind ${JSON.stringify(r.kind)}`);
  if ((await recordHash(r)) !== r.hash) return bad('hash does not match the record\'s contents (changed after it was written)');
  const kept = r.body !== null && isSealedBody(r.body) ? await openBody(r.body, ctx.open) : r.body;
  if (kept === undefined) return bad('body is sealed and does not open with this data key');
  if (kept !== null) {
    let body: Uint8Array;
    try {
      body = fromBase64(kept);
    } catch {
      return bad('body is not base64');
    }
    if ((await bodyDigest(ctx.engine, body)) !== r.bodyDigest) return bad('body does not match bodyDigest');
  }
  return checkToken(r, r.kind as EvidenceKind, ctx);
}

async function checkToken(r: EvidenceRecord, kind: EvidenceKind, ctx: CheckContext): Promise<CheckResult> {
  const isRequest = kind === 'request_received' || kind === 'request_sent';
  const header = parseProtectedHeader(r.token, isRequest ? REQUEST_TYP : RESPONSE_TYP, SIGNING_ALGS);
  if (!header) return bad(`token is not a ${isRequest ? 'request' : 'response'} signature (protected header)`);
  const found = keyAt(ctx.keys, header.kid, r.registrySeq);
  if (!found) return bad(`token kid ${header.kid} is in no registry snapshot that verifies with the anchor keys`);
  const { key, seq } = found;
  const algs = ACCEPTED_ALGS[key.alg];
  const payload = algs.includes(header.alg) ? await ctx.engine.verify(r.token, key, algs) : null;
  if (!payload) return bad(`token signature does not verify with key ${key.kid} of ${key.member.id} (registry seq ${seq})`);
  let raw: unknown;
  try {
    raw = JSON.parse(fromUtf8(payload));
  } catch {
    return bad('token payload is not JSON');
  }
  const parsed = (isRequest ? requestClaimsSchema : responseClaimsSchema).safeParse(raw);
  if (!parsed.success) return bad('token claims are malformed');
  const claims = parsed.data;
  if (claims.cdg !== r.bodyDigest) return bad('token cdg does not match bodyDigest');
  if (claims.iss !== key.member.id) return bad(`token iss ${claims.iss} is not the owner of key ${key.kid} (${key.member.id})`);
  const received = kind === 'request_received' || kind === 'response_received';
  const [signer, audience] = received ? [r.peer, ctx.self] : [ctx.self, r.peer];
  if (signer !== undefined && claims.iss !== signer) return bad(`token is signed by ${claims.iss}, not ${signer}`);
  if (audience !== undefined && claims.aud !== audience) return bad(`token is addressed to ${claims.aud}, not ${audience}`);
  if ('htm' in claims) {
    if (claims.htm !== r.method.toUpperCase()) return bad(`token htm ${claims.htm} does not match method ${r.method}`);
    if (!claims.htu.endsWith(r.path)) return bad('token htu does not end with the record\'s path');
  }
  return { ok: true, snapshotSeq: seq };
}

/** The claims of a token, unverified: only to pair a response with its request. */
export function tokenClaims(token: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(fromUtf8(fromBase64url(token.split('.')[1] ?? '')));
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A body sealed at rest (`v1.<iv>.<ciphertext>`, lib/sealed.ts): base64 never holds a dot. */
export const isSealedBody = (body: string): boolean => body.startsWith('v1.');

/** The base64 body inside a sealed one; null when there is no key to open it; undefined when it does not open. */
export async function openBody(sealed: string, open: CheckContext['open']): Promise<string | null | undefined> {
  if (!open) return null;
  try {
    return await open(sealed);
  } catch {
    return undefined;
  }
}
