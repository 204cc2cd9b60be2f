import { describe, expect, it } from 'vitest';
import { randomIds } from '../../src/lib/ids';

describe('randomIds', () => {
  it('jti carries 128 bits as 22 base64url characters, never repeating across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const jti = randomIds.jti();
      expect(jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
      seen.add(jti);
    }
    expect(seen.size).toBe(2000);
  });

  it('make prefixes its id', () => {
    expect(randomIds.make('rq')).toMatch(/^rq_[A-Za-z0-9_-]{16}$/);
  });
});
