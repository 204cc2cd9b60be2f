import { createHash, createPublicKey, KeyObject, sign, verify, type JsonWebKey } from 'node:crypto';
import type { CryptoKey } from 'jose';
import type { JwsEngine } from '../../federation/engine';
import { publicPart } from '../../federation/keys';

const B64URL = /^[A-Za-z0-9_-]*$/;
const MAX_KEYS = 5000;

/**
 * The envelope on node:crypto: the same JWS bytes as the jose engine, without WebCrypto's hop to the
 * thread pool for every sign, verify and digest (bench:federation measures the difference).
 */
export function nodeEngine(): JwsEngine {
  const publicKeys = new Map<string, KeyObject>();
  const privateKeys = new WeakMap<CryptoKey, KeyObject>();

  const privateKey = (key: CryptoKey) => {
    let k = privateKeys.get(key);
    if (!k) privateKeys.set(key, (k = KeyObject.from(key as unknown as globalThis.CryptoKey)));
    return k;
  };

  return {
    async sign(signer, typ, payload) {
      const header = Buffer.from(JSON.stringify({ alg: signer.alg, typ, kid: signer.kid })).toString('base64url');
      const input = Buffer.from(`${header}.${Buffer.from(payload).toString('base64url')}`);
      const key = privateKey(signer.key);
      const signature = signer.alg === 'Ed25519' ? sign(null, input, key) : sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
      return `${input.toString()}.${signature.toString('base64url')}`;
    },

    async verify(token, key, algs) {
      const parts = token.split('.');
      if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) return null;
      const [h, p, s] = parts as [string, string, string];
      let alg: unknown;
      try {
        alg = (JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: unknown }).alg;
      } catch {
        return null;
      }
      if (typeof alg !== 'string' || !algs.includes(alg)) return null;
      let k = publicKeys.get(key.kid);
      if (!k) {
        if (publicKeys.size >= MAX_KEYS) publicKeys.clear();
        publicKeys.set(key.kid, (k = createPublicKey({ key: publicPart(key.jwk) as JsonWebKey, format: 'jwk' })));
      }
      const input = Buffer.from(`${h}.${p}`);
      const signature = Buffer.from(s, 'base64url');
      const ok = key.alg === 'Ed25519'
        ? signature.length === 64 && verify(null, input, k, signature)
        : signature.length === 64 && verify('sha256', input, { key: k, dsaEncoding: 'ieee-p1363' }, signature);
      return ok ? new Uint8Array(Buffer.from(p, 'base64url')) : null;
    },

    async sha256(data) {
      return new Uint8Array(createHash('sha256').update(data).digest());
    },
  };
}
