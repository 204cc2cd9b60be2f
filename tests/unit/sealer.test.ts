import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeSealer } from '../../src/entry/node/sealer';
import { createSealer } from '../../src/lib/sealed';

// The Node entry seals with node:crypto, Workers and the CLI with WebCrypto: one database, one key, so
// each must open what the other sealed, and refuse what was changed or sealed with another key.
describe('the node:crypto sealer and the WebCrypto one', () => {
  const key = randomBytes(32);
  const values = ['', '110105199001011234', '张三 13800138000', 'x'.repeat(300_000)];

  it('open each other\'s sealed values, in the same v1.<iv>.<ciphertext+tag> form', async () => {
    const [node, web] = [await nodeSealer(key), await createSealer(key)];
    for (const v of values) {
      const [a, b] = [await node.seal(v), await web.seal(v)];
      expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      expect(a.length).toBe(b.length);
      expect(await web.open(a)).toBe(v);
      expect(await node.open(b)).toBe(v);
      expect(await node.seal(v)).not.toBe(a); // a fresh IV each time
    }
  });

  it('refuse a changed ciphertext, another key, and what is not a sealed value', async () => {
    const node = await nodeSealer(key);
    const sealed = await node.seal('110105199001011234');
    const [v, iv, ct] = sealed.split('.') as [string, string, string];
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0]! ^= 1;
    await expect(node.open(`${v}.${iv}.${flipped.toString('base64url')}`)).rejects.toThrow();
    await expect((await nodeSealer(randomBytes(32))).open(sealed)).rejects.toThrow();
    await expect((await createSealer(randomBytes(32))).open(sealed)).rejects.toThrow();
    await expect(node.open('v2.abc.def')).rejects.toThrow(/not a sealed value/);
    await expect(node.open('v1.abc.de')).rejects.toThrow(/not a sealed value/);
    await expect(nodeSealer(randomBytes(16))).rejects.toThrow(/32 bytes/);
  });
});
