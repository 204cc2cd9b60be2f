import { utf8 } from '../../src/lib/encoding';

// HMAC-SHA256 with crypto.subtle. Verification goes through subtle.verify, which compares in constant
// time, rather than comparing hex strings with ===.

function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', utf8(secret) as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

export async function hmacSha256(secret: string, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), data as Uint8Array<ArrayBuffer>));
}

/** True when `hexSignature` is the HMAC-SHA256 of `data` under `secret`; false for any malformed input. */
export async function verifyHmacHex(secret: string, data: Uint8Array, hexSignature: string): Promise<boolean> {
  const signature = fromHex(hexSignature);
  if (!signature || signature.length !== 32) return false;
  return crypto.subtle.verify('HMAC', await hmacKey(secret), signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
}

export function fromHex(s: string): Uint8Array | null {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(s)) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}
