import type { JWK } from 'jose';
import { ACCEPTED_ALGS, algForJwk, KeyCache, thumbprint } from '../keys';
import { parsePayload, parseProtectedHeader, verifySignature } from '../jws';
import { registryClaimsSchema, type RegistryClaims } from './schema';

export const REGISTRY_TYP = 'handshake-registry+jwt';
export const MAX_REGISTRY_LIFETIME = 7 * 24 * 3600;
const CLOCK_TOLERANCE = 30;

export interface RegistrySnapshot {
  token: string;
  claims: RegistryClaims;
}

export class RegistryRejected extends Error {
  constructor(readonly reason: string) {
    super(`registry snapshot refused: ${reason}`);
    this.name = 'RegistryRejected';
  }
}

export interface AnchorKeys {
  keys: JWK[];
}

const anchorCache = new KeyCache(64);

/**
 * §2: a snapshot is taken only if a pinned anchor key signed it, `typ` matches, it is not expired, its
 * lifetime is at most 7 days and `seq` is not lower than the held one.
 */
export async function verifyRegistry(
  token: string, anchors: AnchorKeys, nowSec: number, heldSeq: number | null, opts: { allowExpired?: boolean } = {},
): Promise<RegistrySnapshot> {
  const header = parseProtectedHeader(token.trim(), REGISTRY_TYP, ['Ed25519', 'EdDSA', 'ES256']);
  if (!header) throw new RegistryRejected('protected header is not {alg, typ: handshake-registry+jwt, kid}');
  const anchor = anchors.keys.find((k) => k.kid === header.kid);
  if (!anchor) throw new RegistryRejected(`kid ${header.kid} is not a pinned anchor key`);
  const alg = algForJwk(anchor);
  if (!alg || !ACCEPTED_ALGS[alg].includes(header.alg)) throw new RegistryRejected(`alg ${header.alg} does not fit the anchor key`);
  const payload = await verifySignature(token.trim(), await anchorCache.get(header.kid, anchor, alg), ACCEPTED_ALGS[alg]);
  if (!payload) throw new RegistryRejected('signature does not verify');
  const parsed = registryClaimsSchema.safeParse(parsePayload(payload));
  if (!parsed.success) throw new RegistryRejected(`claims malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const claims = parsed.data;
  if (claims.exp - claims.iat > MAX_REGISTRY_LIFETIME) throw new RegistryRejected('lifetime over 7 days');
  if (claims.exp <= nowSec && !opts.allowExpired) throw new RegistryRejected(`expired at ${new Date(claims.exp * 1000).toISOString()}`);
  if (claims.iat > nowSec + CLOCK_TOLERANCE) throw new RegistryRejected('issued in the future');
  if (heldSeq !== null && claims.seq < heldSeq) throw new RegistryRejected(`seq ${claims.seq} is lower than the held ${heldSeq}`);
  await checkMembers(claims);
  return { token: token.trim(), claims };
}

async function checkMembers(claims: RegistryClaims): Promise<void> {
  const ids = new Set<string>();
  const kids = new Set<string>();
  for (const m of claims.members) {
    if (ids.has(m.id)) throw new RegistryRejected(`member ${m.id} listed twice`);
    ids.add(m.id);
    for (const k of m.keys) {
      if (kids.has(k.kid)) throw new RegistryRejected(`kid ${k.kid} listed twice`);
      kids.add(k.kid);
      if ((await thumbprint(k)) !== k.kid) throw new RegistryRejected(`kid of a key of ${m.id} is not its RFC 7638 thumbprint`);
    }
  }
}
