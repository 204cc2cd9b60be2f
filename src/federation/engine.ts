import { CompactSign, compactVerify, type CryptoKey, type JWK } from 'jose';
import { base64url, sha256 } from '../lib/encoding';
import { KeyCache, type KeyAlg, type Signer } from './keys';

/** A public key of the registry, as the engine needs it. */
export interface VerifyKey {
  kid: string;
  alg: KeyAlg;
  jwk: JWK;
}

/**
 * The signature primitives under the envelope. The default is jose over WebCrypto (every runtime); the
 * Node entry injects one on node:crypto, which skips WebCrypto's thread-pool hop per operation.
 * Both must give the same bytes: Ed25519 is deterministic, and the header is always `{alg, typ, kid}`.
 * @example const token = await engine.sign(signer, 'handshake-req+jwt', utf8(JSON.stringify(claims)));
 */
export interface JwsEngine {
  /** A compact JWS with the protected header `{alg, typ, kid}`, in that order. */
  sign(signer: Signer, typ: string, payload: Uint8Array): Promise<string>;
  /** The payload if `token` verifies with `key` under one of `algs`; null otherwise. */
  verify(token: string, key: VerifyKey, algs: readonly string[]): Promise<Uint8Array | null>;
  sha256(data: Uint8Array): Promise<Uint8Array>;
}

/** jose over WebCrypto: the engine of Workers and the reference for the Node one. */
export function joseEngine(keys = new KeyCache()): JwsEngine {
  return {
    sign: (signer, typ, payload) => new CompactSign(payload).setProtectedHeader({ alg: signer.alg, typ, kid: signer.kid }).sign(signer.key),
    async verify(token, key, algs) {
      try {
        const cryptoKey: CryptoKey = await keys.get(key.kid, key.jwk, key.alg);
        return (await compactVerify(token, cryptoKey, { algorithms: [...algs] })).payload;
      } catch {
        return null;
      }
    },
    sha256: (data) => sha256(data),
  };
}

/** The `cdg` claim: base64url SHA-256 of the exact body bytes. */
export const bodyDigest = async (engine: JwsEngine, body: Uint8Array): Promise<string> =>
  body.byteLength === 0 ? EMPTY_DIGEST : base64url(await engine.sha256(body));

/** SHA-256 of the empty string, the `cdg` of every bodiless request. */
export const EMPTY_DIGEST = '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU';

export const defaultEngine = joseEngine();
