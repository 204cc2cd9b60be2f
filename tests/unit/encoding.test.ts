import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64, base64url, fromBase64, fromBase64url } from '../../src/lib/encoding';

/** What each decoder accepts, written out plainly: the reference its table-driven loop must agree with. */
const isStrictBase64 = (s: string) => s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
const isBase64url = (s: string) => s.length % 4 !== 1 && /^[A-Za-z0-9_-]*$/.test(s);
const outcome = (f: () => Uint8Array) => { try { return Buffer.from(f()).toString('hex'); } catch (e) { return e instanceof TypeError ? 'TypeError' : `other: ${String(e)}`; } };

describe('base64 and base64url', () => {
  it('match Node\'s encoder for every length around the 3-byte boundaries and a large body', () => {
    const lengths = [0, 1, 2, 3, 4, 5, 6143, 6144, 6145, 6146, 100_003];
    for (const n of lengths) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 255);
      expect(base64(bytes), `base64 ${n}`).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64url(bytes), `base64url ${n}`).toBe(Buffer.from(bytes).toString('base64url'));
      expect(Buffer.from(fromBase64url(base64url(bytes))).equals(bytes), `fromBase64url ${n}`).toBe(true);
      expect(Buffer.from(fromBase64(base64(bytes))).equals(bytes), `fromBase64 ${n}`).toBe(true);
    }
  });

  it('round-trip any bytes, and agree with Node\'s encoder', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64(base64(bytes))).toEqual(bytes);
      expect(fromBase64url(base64url(bytes))).toEqual(bytes);
    }), { numRuns: 500 });
  });

  it('decode what the strict rules allow exactly as Node does, and refuse everything else with a TypeError', () => {
    const chars = fc.constantFrom(...'AQgw+/-_=Zz09 .é'.split(''));
    fc.assert(fc.property(fc.array(chars, { maxLength: 12 }).map((a) => a.join('')), (s) => {
      expect(outcome(() => fromBase64(s)), `fromBase64(${JSON.stringify(s)})`).toBe(isStrictBase64(s) ? Buffer.from(s, 'base64').toString('hex') : 'TypeError');
      expect(outcome(() => fromBase64url(s)), `fromBase64url(${JSON.stringify(s)})`).toBe(isBase64url(s) ? Buffer.from(s, 'base64url').toString('hex') : 'TypeError');
    }), { numRuns: 3_000 });
  });

  it('refuse the malformed cases by name', () => {
    for (const bad of ['Q', 'QQ=', 'QQ=A', 'Q===', '====', '=QQQ', 'QQ QQ', 'QUJD\n', 'QUJ-', 'QUJ_', 'QUJé']) expect(() => fromBase64(bad), bad).toThrow(TypeError);
    for (const bad of ['Q', 'QUJDQ', 'QQ==', 'QUJ+', 'QUJ/', 'QU J']) expect(() => fromBase64url(bad), bad).toThrow(TypeError);
    expect(fromBase64('')).toEqual(new Uint8Array());
    expect(fromBase64url('')).toEqual(new Uint8Array());
  });
});
