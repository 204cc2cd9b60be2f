import { describe, expect, it } from 'vitest';
import { nodeEngine } from '../../src/entry/node/engine';
import { joseEngine } from '../../src/federation/engine';
import { generateSigningKey, KeyCache, loadSigner } from '../../src/federation/keys';
import { utf8 } from '../../src/lib/encoding';

const node = nodeEngine();
const jose = joseEngine(new KeyCache());

describe('the node:crypto and jose engines are interchangeable', () => {
  it.each(['Ed25519', 'ES256'] as const)('%s: each verifies what the other signs, and refuses a changed byte', async (alg) => {
    const { privateJwk, publicJwk, kid } = await generateSigningKey(alg);
    const signer = await loadSigner(privateJwk);
    const key = { kid, alg, jwk: publicJwk };
    const payload = utf8('{"iss":"alpha","n":"数据"}');
    for (const [signWith, verifyWith] of [[node, jose], [jose, node]] as const) {
      const token = await signWith.sign(signer, 'handshake-req+jwt', payload);
      expect(await verifyWith.verify(token, key, [alg])).toEqual(payload);
      const [h, p, s] = token.split('.');
      const flipped = `${h}.${p}.${s!.slice(0, 10)}${s![10] === 'A' ? 'B' : 'A'}${s!.slice(11)}`;
      expect(await verifyWith.verify(flipped, key, [alg])).toBeNull();
      expect(await verifyWith.verify(`${h}.${p}x.${s}`, key, [alg])).toBeNull();
    }
  });

  it('refuses a label outside the allowed list and malformed tokens', async () => {
    const { privateJwk, publicJwk, kid } = await generateSigningKey('Ed25519');
    const token = await node.sign(await loadSigner(privateJwk), 'handshake-req+jwt', utf8('{}'));
    const key = { kid, alg: 'Ed25519' as const, jwk: publicJwk };
    for (const engine of [node, jose]) {
      expect(await engine.verify(token, key, ['ES256'])).toBeNull();
      expect(await engine.verify('a.b', key, ['Ed25519'])).toBeNull();
      expect(await engine.verify('a+b.c/d.e=', key, ['Ed25519'])).toBeNull();
    }
  });

  it('digests agree', async () => {
    const data = utf8('x'.repeat(1000));
    expect(await node.sha256(data)).toEqual(await jose.sha256(data));
  });
});
