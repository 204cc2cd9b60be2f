import { base64url, fromBase64url, fromUtf8, utf8 } from './encoding';

/**
 * Personal data encrypted at rest (AES-256-GCM, WebCrypto). A sealed value is
 * `v1.<iv>.<ciphertext>` in base64url, so a later key can be told apart and old rows re-sealed.
 * @example const sealer = await createSealer(keyBytes); const s = await sealer.seal('110105199001011234');
 */
export interface Sealer {
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

export async function createSealer(rawKey: Uint8Array): Promise<Sealer> {
  if (rawKey.byteLength !== 32) throw new Error('the data key must be 32 bytes (256 bits)');
  const key = await crypto.subtle.importKey('raw', rawKey as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt', 'decrypt']);
  return {
    async seal(plain) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, utf8(plain) as Uint8Array<ArrayBuffer>));
      return `v1.${base64url(iv)}.${base64url(ct)}`;
    },
    async open(sealed) {
      const [version, iv, ct] = sealed.split('.');
      if (version !== 'v1' || !iv || !ct) throw new Error('not a sealed value of this gateway');
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64url(iv) as Uint8Array<ArrayBuffer> }, key, fromBase64url(ct) as Uint8Array<ArrayBuffer>);
      return fromUtf8(new Uint8Array(plain));
    },
  };
}

/** Parses HANDSHAKE_DATA_KEY (base64url or hex of 32 bytes). */
export function parseDataKey(value: string): Uint8Array {
  const v = value.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(v) ? Uint8Array.from(v.match(/../g)!.map((h) => parseInt(h, 16))) : fromBase64url(v);
  if (bytes.byteLength !== 32) throw new Error('must be 32 bytes, base64url or hex');
  return bytes;
}
