import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Sealer } from '../../lib/sealed';

const TAG = 16;

/**
 * The sealer of src/lib/sealed.ts on node:crypto: the same `v1.<iv>.<ciphertext+tag>` (AES-256-GCM,
 * 12-byte IV, 16-byte tag appended as WebCrypto appends it), so either opens what the other sealed;
 * done on the calling thread, without WebCrypto's hop to the thread pool for every value (two per
 * signed exchange, for the evidence bodies).
 */
export async function nodeSealer(rawKey: Uint8Array): Promise<Sealer> {
  if (rawKey.byteLength !== 32) throw new Error('the data key must be 32 bytes (256 bits)');
  const key = Buffer.from(rawKey);
  return {
    async seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `v1.${iv.toString('base64url')}.${ct.toString('base64url')}`;
    },
    async open(sealed) {
      const [version, iv, ct] = sealed.split('.');
      if (version !== 'v1' || !iv || !ct) throw new Error('not a sealed value of this gateway');
      const bytes = Buffer.from(ct, 'base64url');
      if (bytes.byteLength < TAG) throw new Error('not a sealed value of this gateway');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(bytes.subarray(bytes.byteLength - TAG));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.byteLength - TAG)), decipher.final()]).toString('utf8');
    },
  };
}
