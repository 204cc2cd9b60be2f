import { existsSync, readFileSync } from 'node:fs';
import { base64url as b64 } from 'jose';
import { describe, expect, it } from 'vitest';
import { signClaims } from '../../src/federation/envelope/sign';
import { verifyRequest, verifyResponse } from '../../src/federation/envelope/verify';
import { KeyCache, loadSigner } from '../../src/federation/keys';
import { joseEngine } from '../../src/federation/engine';
import { nodeEngine } from '../../src/entry/node/engine';
import { buildKeyIndex } from '../../src/federation/registry/key-index';
import { RegistryRejected, verifyRegistry } from '../../src/federation/registry/verify';
import { isAppError } from '../../src/lib/errors';
import { utf8 } from '../../src/lib/encoding';
import { loadVectors, VECTORS_PATH } from '../support/vectors';

const v = loadVectors();
const engines = [['jose (WebCrypto)', joseEngine(new KeyCache())], ['node:crypto', nodeEngine()]] as const;

async function index() {
  return buildKeyIndex(await verifyRegistry(v.registry, v.anchor.jwks, v.now, null));
}

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
}

describe.each(engines)('protocol vectors (shared/protocol/vectors.json), engine %s', (_engineName, engine) => {
  it.each(v.cases.map((c) => [c.name, c] as const))('request case %s reaches its expected result', async (_name, c) => {
    const registry = await index();
    const result = await outcome(() => verifyRequest({
      token: c.token, method: v.request.method, publicBase: v.receiver.publicBase, pathAndQuery: v.request.path, body: utf8(c.body),
    }, { registry, selfId: v.receiver.id, nowSec: v.now, engine }));
    expect(result).toBe(c.expect);
  });

  it('the response case binds to the request and verifies', async () => {
    const r = v.response;
    const registry = await index();
    const result = await outcome(() => verifyResponse(
      { token: r.token, status: r.status, body: utf8(r.body), requestJti: r.requestJti },
      { registry, selfId: 'gaoxin', nowSec: v.now, engine },
    ));
    expect(result).toBe(r.expect);
  });

  it('a response with another status or request jti is refused', async () => {
    const r = v.response;
    const ctx = { registry: await index(), selfId: 'gaoxin', nowSec: v.now, engine };
    expect(await outcome(() => verifyResponse({ token: r.token, status: 200, body: utf8(r.body), requestJti: r.requestJti }, ctx))).toBe('bad_claims');
    expect(await outcome(() => verifyResponse({ token: r.token, status: r.status, body: utf8(r.body), requestJti: 'AAAAAAAAAAAAAAAAAAAAAA' }, ctx))).toBe('bad_claims');
    expect(await outcome(() => verifyResponse({ token: r.token, status: r.status, body: utf8('{"receiptId":"rc_2"}'), requestJti: r.requestJti }, ctx))).toBe('digest_mismatch');
  });

  it('registry cases are taken or refused in order', async () => {
    let held: number | null = null;
    for (const c of v.registryCases) {
      let got: 'ok' | 'reject';
      try {
        held = (await verifyRegistry(c.token, v.anchor.jwks, v.now, held)).claims.seq;
        got = 'ok';
      } catch (e) {
        expect(e).toBeInstanceOf(RegistryRejected);
        got = 'reject';
      }
      expect(got, c.name).toBe(c.expect);
    }
    expect(held).toBe(42);
  });

  it('deterministic Ed25519 signing reproduces every genuine Ed25519 vector token byte for byte', async () => {
    const owners = new Map(v.registryClaims.members.flatMap((m) => m.keys.map((k) => [k.kid, { member: m.id, x: k.x! }] as const)));
    owners.set(v.anchor.jwks.keys[0]!.kid!, { member: 'anchor', x: v.anchor.jwks.keys[0]!.x! });
    const decode = (part: string) => JSON.parse(new TextDecoder().decode(b64.decode(part))) as Record<string, unknown>;
    // Tokens whose signature was broken on purpose cannot be re-made; all other plain Ed25519 ones must be.
    const broken = new Set(['bad-signature', 'registry-tampered']);
    const all = [...v.cases, v.response, ...v.registryCases].filter((c) => !broken.has(c.name));
    let compared = 0;
    for (const c of all) {
      const [h, p] = c.token.split('.');
      const header = decode(h!);
      const owner = owners.get(String(header.kid));
      if (header.alg !== 'Ed25519' || Object.keys(header).length !== 3 || !owner || !v.privateKeys[owner.member]) continue;
      const signer = await loadSigner({ kty: 'OKP', crv: 'Ed25519', x: owner.x, d: v.privateKeys[owner.member] });
      expect(await signClaims(signer, String(header.typ), decode(p!), engine), c.name).toBe(c.token);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(18);
  });

  it('the fixture is the same file as ../shared/protocol/vectors.json when that exists', () => {
    const shared = new URL('../../../shared/protocol/vectors.json', import.meta.url);
    if (!existsSync(shared)) return;
    expect(readFileSync(VECTORS_PATH, 'utf8')).toBe(readFileSync(shared, 'utf8'));
    const proto = new URL('../../../shared/protocol/PROTOCOL.md', import.meta.url);
    expect(readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8')).toBe(readFileSync(proto, 'utf8'));
  });
});
