import { describe, expect, it } from 'vitest';
import { base64, base64url, fromBase64url } from '../../src/lib/encoding';

describe('base64 and base64url', () => {
  it('match Node\'s encoder for every length around the 3-byte and chunk boundaries', () => {
    const lengths = [0, 1, 2, 3, 4, 5, 6143, 6144, 6145, 6146, 100_003];
    for (const n of lengths) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 255);
      expect(base64(bytes), `base64 ${n}`).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64url(bytes), `base64url ${n}`).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64url(base64url(bytes))).toEqual(bytes);
    }
  });
});
