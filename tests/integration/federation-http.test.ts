import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64url, utf8 } from '../../src/lib/encoding';
import { bodyDigest, defaultEngine } from '../../src/federation/engine';
import { signRequest } from '../../src/federation/envelope/sign';
import { verifyResponse } from '../../src/federation/envelope/verify';
import { generateSigningKey, loadSigner } from '../../src/federation/keys';
import { systemClock } from '../../src/lib/clock';
import { nodeEngine } from '../../src/entry/node/engine';
import { randomIds } from '../../src/lib/ids';
import type { Gateway } from '../../src/gateway';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';
import { craftToken, freePort, listen } from '../support/http';

const PATH = '/federation/v1/ping';
let alliance: TestAlliance;
let tdb: TestDatabase;
let beta: Gateway;
let server: Awaited<ReturnType<typeof listen>>;
let base: string;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  alliance = await createTestAlliance([
    { id: 'alpha', endpoint: 'http://alpha.test' },
    { id: 'beta', endpoint: base },
    { id: 'gamma', endpoint: 'http://gamma.test', alg: 'ES256' },
    { id: 'delta', endpoint: 'http://delta.test' },
    { id: 'eps', endpoint: 'http://eps.test' },
    { id: 'blocked', endpoint: 'http://blocked.test' },
  ]);
  alliance.members.get('delta')!.status = 'suspended';
  alliance.members.get('eps')!.keyStatus = 'revoked';
  const later = await generateSigningKey();
  const gone = await generateSigningKey();
  alliance.members.get('alpha')!.extraKeys = [
    { jwk: later.privateJwk, status: 'active', nbf: now() + 3600 },
    { jwk: gone.privateJwk, status: 'retiring', exp: now() - 60 },
  ];
  (globalThis as Record<string, unknown>).__keys = { later, gone };
  const token = await alliance.sign(1, now());
  tdb = await createTestDatabase();
  // The engine npm start runs with; the vectors test covers both engines, garbage-input the jose one.
  beta = await startTestGateway({ alliance, memberId: 'beta', database: tdb.database, clock: systemClock, registry: () => token, blockedMembers: ['blocked'], engine: nodeEngine() });
  server = await listen(beta.app.fetch, port);
});

afterAll(async () => {
  await server?.close();
  await tdb?.drop();
});

const jwkOf = (id: string) => alliance.members.get(id)!.privateJwk;
const kidOf = (id: string) => alliance.members.get(id)!.kid;

async function goodClaims(over: Record<string, unknown> = {}, body = '') {
  const iat = now();
  return { iss: 'alpha', aud: 'beta', iat, exp: iat + 60, jti: base64url(crypto.getRandomValues(new Uint8Array(16))), htm: 'POST', htu: base + PATH, cdg: await bodyDigest(defaultEngine, utf8(body)), ...over };
}

async function post(token: string | null, body = '', headers: Record<string, string> = {}, path = PATH) {
  const h: Record<string, string> = { ...headers };
  if (token !== null) h['handshake-request'] = token;
  if (body) h['content-type'] = 'application/json';
  const res = await fetch(base + path, { method: 'POST', headers: h, body: body || undefined });
  const text = await res.text();
  return { res, text, json: (() => { try { return JSON.parse(text) as Record<string, unknown>; } catch { return null; } })() };
}

async function signedBy(id: string, claims: Record<string, unknown>, alg = 'Ed25519', kid = kidOf(id)) {
  return craftToken(jwkOf(id), { alg, typ: 'handshake-req+jwt', kid }, claims);
}

describe('POST /federation/v1/ping over HTTP: each refusal of §3.1, in order', () => {
  it('accepts a well-signed ping and signs its answer', async () => {
    const { token, claims } = await signRequest(await loadSigner(jwkOf('alpha')), { iss: 'alpha', aud: 'beta', method: 'POST', url: base + PATH, body: new Uint8Array() }, systemClock, randomIds);
    const { res, json, text } = await post(token);
    expect(res.status).toBe(200);
    expect(json).toMatchObject({ member: 'beta' });
    const v = await verifyResponse({ token: res.headers.get('handshake-response'), status: 200, body: utf8(text), requestJti: claims.jti },
      { registry: beta.registry.current(), selfId: 'alpha', nowSec: now() });
    expect(v.claims.iss).toBe('beta');
  });

  const refusals: [string, () => Promise<{ token: string | null; body?: string; headers?: Record<string, string>; path?: string }>, number, string][] = [
    ['no header', async () => ({ token: null }), 401, 'missing_signature'],
    ['a header over 8 KiB', async () => ({ token: 'e'.repeat(9000) }), 401, 'missing_signature'],
    ['not a JWS', async () => ({ token: 'garbage' }), 401, 'bad_header'],
    ['alg none', async () => ({ token: `${base64url(utf8(JSON.stringify({ alg: 'none', typ: 'handshake-req+jwt', kid: kidOf('alpha') })))}.${base64url(utf8(JSON.stringify(await goodClaims())))}.` }), 401, 'bad_header'],
    ['typ JWT', async () => ({ token: await craftToken(jwkOf('alpha'), { alg: 'Ed25519', typ: 'JWT', kid: kidOf('alpha') }, await goodClaims()) }), 401, 'bad_header'],
    ['a jku member', async () => ({ token: await craftToken(jwkOf('alpha'), { alg: 'Ed25519', typ: 'handshake-req+jwt', kid: kidOf('alpha'), jku: 'https://evil.test/jwks' }, await goodClaims()) }), 401, 'bad_header'],
    ['alg HS256', async () => ({ token: `${base64url(utf8(JSON.stringify({ alg: 'HS256', typ: 'handshake-req+jwt', kid: kidOf('alpha') })))}.${base64url(utf8('{}'))}.AAAA` }), 401, 'bad_header'],
    ['an unknown kid', async () => { const k = await generateSigningKey(); return { token: await craftToken(k.privateJwk, { alg: 'Ed25519', typ: 'handshake-req+jwt', kid: k.kid }, await goodClaims()) }; }, 401, 'unknown_key'],
    ['a revoked key', async () => ({ token: await signedBy('eps', await goodClaims({ iss: 'eps' })) }), 401, 'key_revoked'],
    ['a key before its nbf', async () => { const { later } = (globalThis as never as { __keys: { later: { privateJwk: never; kid: string } } }).__keys; return { token: await craftToken(later.privateJwk, { alg: 'Ed25519', typ: 'handshake-req+jwt', kid: later.kid }, await goodClaims()) }; }, 401, 'key_revoked'],
    ['a key past its exp', async () => { const { gone } = (globalThis as never as { __keys: { gone: { privateJwk: never; kid: string } } }).__keys; return { token: await craftToken(gone.privateJwk, { alg: 'Ed25519', typ: 'handshake-req+jwt', kid: gone.kid }, await goodClaims()) }; }, 401, 'key_revoked'],
    ['a suspended member', async () => ({ token: await signedBy('delta', await goodClaims({ iss: 'delta' })) }), 403, 'member_suspended'],
    ['another key under alpha\'s kid', async () => ({ token: await craftToken(jwkOf('gamma'), { alg: 'ES256', typ: 'handshake-req+jwt', kid: kidOf('alpha') }, await goodClaims()) }), 401, 'bad_signature'],
    ['ES256 label on an Ed25519 key', async () => { const t = await signedBy('alpha', await goodClaims()); const [, p, s] = t.split('.'); return { token: `${base64url(utf8(JSON.stringify({ alg: 'ES256', typ: 'handshake-req+jwt', kid: kidOf('alpha') })))}.${p}.${s}` }; }, 401, 'bad_signature'],
    ['a forged signature', async () => { const t = await signedBy('alpha', await goodClaims()); const at = t.lastIndexOf('.') + 10; return { token: t.slice(0, at) + (t[at] === 'A' ? 'B' : 'A') + t.slice(at + 1) }; }, 401, 'bad_signature'],
    ['claims that are not JSON', async () => ({ token: await signedBy('alpha', 'not json' as never) }), 401, 'bad_claims'],
    ['no jti', async () => { const c = await goodClaims(); delete (c as Record<string, unknown>).jti; return { token: await signedBy('alpha', c) }; }, 401, 'bad_claims'],
    ['a short jti', async () => ({ token: await signedBy('alpha', await goodClaims({ jti: 'abc' })) }), 401, 'bad_claims'],
    ['a lifetime of 121 s', async () => ({ token: await signedBy('alpha', await goodClaims({ exp: now() + 121 })) }), 401, 'bad_claims'],
    ['an expired signature', async () => ({ token: await signedBy('alpha', await goodClaims({ iat: now() - 200, exp: now() - 100 })) }), 401, 'expired'],
    ['an iat in the future', async () => ({ token: await signedBy('alpha', await goodClaims({ iat: now() + 100, exp: now() + 160 })) }), 401, 'future'],
    ['iss not the key owner', async () => ({ token: await signedBy('alpha', await goodClaims({ iss: 'gamma' })) }), 401, 'iss_key_mismatch'],
    ['another audience', async () => ({ token: await signedBy('alpha', await goodClaims({ aud: 'gamma' })) }), 401, 'aud_mismatch'],
    ['another method', async () => ({ token: await signedBy('alpha', await goodClaims({ htm: 'PUT' })) }), 401, 'method_mismatch'],
    ['another path', async () => ({ token: await signedBy('alpha', await goodClaims({ htu: `${base}/federation/v1/cases` })) }), 401, 'url_mismatch'],
    ['htu built from a forwarded host', async () => ({ token: await signedBy('alpha', await goodClaims({ htu: `https://proxy.test${PATH}` })), headers: { 'x-forwarded-host': 'proxy.test', 'x-forwarded-proto': 'https' } }), 401, 'url_mismatch'],
    ['a query the signature does not cover', async () => ({ token: await signedBy('alpha', await goodClaims()), path: `${PATH}?x=1` }), 401, 'url_mismatch'],
    ['a body the digest does not cover', async () => ({ token: await signedBy('alpha', await goodClaims()), body: '{"a":1}' }), 401, 'digest_mismatch'],
    ['a member shut out by policy', async () => ({ token: await signedBy('blocked', await goodClaims({ iss: 'blocked' })) }), 403, 'not_authorized'],
  ];

  it.each(refusals)('%s: %i %s', async (_name, make, status, code) => {
    const r = await make();
    const { res, json } = await post(r.token, r.body ?? '', r.headers ?? {}, r.path ?? PATH);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(json).toMatchObject({ code, status, type: `urn:handshake:problem:${code}` });
    expect(typeof json!.requestId).toBe('string');
    // §4: only a request that passed steps 1-8 gets a signed answer.
    expect(res.headers.has('handshake-response')).toBe(code === 'not_authorized');
  });

  it('a replayed request is refused, with a signed answer', async () => {
    const token = await signedBy('alpha', await goodClaims());
    expect((await post(token)).res.status).toBe(200);
    const again = await post(token);
    expect(again.res.status).toBe(401);
    expect(again.json).toMatchObject({ code: 'replay' });
    expect(again.res.headers.has('handshake-response')).toBe(true);
  });

  it('a query string the signature covers is accepted', async () => {
    const token = await signedBy('alpha', await goodClaims({ htu: `${base}${PATH}?probe=1&x=%20y` }));
    expect((await post(token, '', {}, `${PATH}?probe=1&x=%20y`)).res.status).toBe(200);
  });

  it('ES256 members and the EdDSA label are accepted', async () => {
    expect((await post(await signedBy('gamma', await goodClaims({ iss: 'gamma' }), 'ES256'))).res.status).toBe(200);
    expect((await post(await signedBy('alpha', await goodClaims(), 'EdDSA'))).res.status).toBe(200);
  });

  it('a ping body that is not JSON is 415, signed', async () => {
    const body = 'hello';
    const token = await signedBy('alpha', await goodClaims({}, body));
    const res = await fetch(base + PATH, { method: 'POST', headers: { 'handshake-request': token, 'content-type': 'text/plain' }, body });
    expect(res.status).toBe(415);
    expect(res.headers.has('handshake-response')).toBe(true);
  });
});

describe('unsigned surface', () => {
  it('GET /.well-known/handshake describes the member', async () => {
    const res = await fetch(`${base}/.well-known/handshake`);
    expect(res.status).toBe(200);
    const body = await res.json() as Record<string, unknown>;
    expect(body).toMatchObject({ member: 'beta', protocols: ['handshake/1'], endpoint: base, registrySeq: 1 });
    expect((body.jwks as { keys: { kid: string; d?: string }[] }).keys.map((k) => k.kid)).toContain(kidOf('beta'));
    expect(JSON.stringify(body)).not.toContain('"d"');
  });

  it('health and readiness', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', registrySeq: 1 });
  });

  it('unknown routes are 404 and wrong methods 405, as problem+json', async () => {
    const nf = await fetch(`${base}/nope`);
    expect(nf.status).toBe(404);
    expect(nf.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await nf.json()).toMatchObject({ code: 'not_found' });
    const na = await fetch(`${base}${PATH}`);
    expect(na.status).toBe(405);
    expect(na.headers.get('allow')).toBe('POST');
    expect(await na.json()).toMatchObject({ status: 405, code: 'invalid_request' });
  });

  it('GET /federation/v1/registry needs a signature and answers the snapshot as application/jwt', async () => {
    expect((await fetch(`${base}/federation/v1/registry`)).status).toBe(401);
    const token = await signedBy('alpha', await goodClaims({ htm: 'GET', htu: `${base}/federation/v1/registry` }));
    const res = await fetch(`${base}/federation/v1/registry`, { headers: { 'handshake-request': token } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/jwt');
    expect(await res.text()).toBe(beta.registry.current()!.snapshot.token);
  });
});
