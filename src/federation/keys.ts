import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export type KeyAlg = 'Ed25519' | 'ES256';

/** The JOSE `alg` labels a key of each registered algorithm accepts (§3: `EdDSA` is the old name of Ed25519). */
export const ACCEPTED_ALGS: Record<KeyAlg, readonly string[]> = {
  Ed25519: ['Ed25519', 'EdDSA'],
  ES256: ['ES256'],
};

/** Which algorithm a JWK's key type implies; null for anything handshake/1 does not use. */
export function algForJwk(jwk: JWK): KeyAlg | null {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'Ed25519';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  return null;
}

/** RFC 7638 SHA-256 thumbprint: the `kid` of every key in the registry. */
export const thumbprint = (jwk: JWK): Promise<string> => calculateJwkThumbprint(publicPart(jwk), 'sha256');

export function publicPart(jwk: JWK): JWK {
  const { kty, crv, x, y } = jwk;
  return y === undefined ? { kty, crv, x } : { kty, crv, x, y };
}

/** Imported public keys, cached by kid: importing is the costly part of a verification. */
export class KeyCache {
  private readonly keys = new Map<string, Promise<CryptoKey>>();

  constructor(private readonly max = 5000) {}

  get(kid: string, jwk: JWK, alg: KeyAlg): Promise<CryptoKey> {
    const cacheKey = `${kid}:${alg}`;
    let key = this.keys.get(cacheKey);
    if (!key) {
      if (this.keys.size >= this.max) this.keys.clear();
      key = importJWK(publicPart(jwk), alg) as Promise<CryptoKey>;
      key.catch(() => this.keys.delete(cacheKey));
      this.keys.set(cacheKey, key);
    }
    return key;
  }
}

export interface Signer {
  kid: string;
  alg: KeyAlg;
  key: CryptoKey;
  publicJwk: JWK;
}

/** Builds the gateway's signer from its private JWK; the kid is always recomputed, never trusted. */
export async function loadSigner(privateJwk: JWK): Promise<Signer> {
  const alg = algForJwk(privateJwk);
  if (!alg) throw new Error('signing key must be an Ed25519 (OKP) or P-256 (EC) JWK');
  if (!privateJwk.d) throw new Error('signing key has no private part (d)');
  const key = (await importJWK(privateJwk, alg)) as CryptoKey;
  const kid = await thumbprint(privateJwk);
  return { kid, alg, key, publicJwk: { ...publicPart(privateJwk), kid, alg, use: 'sig' } };
}

/** A new private JWK for a member or an anchor, with its kid. */
export async function generateSigningKey(alg: KeyAlg = 'Ed25519'): Promise<{ privateJwk: JWK; publicJwk: JWK; kid: string }> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await thumbprint(jwk);
  const privateJwk = { ...jwk, kid, alg, use: 'sig' };
  return { privateJwk, publicJwk: { ...publicPart(jwk), kid, alg, use: 'sig' }, kid };
}
