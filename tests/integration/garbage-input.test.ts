import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64url, utf8 } from '../../src/lib/encoding';
import { systemClock } from '../../src/lib/clock';
import type { Gateway } from '../../src/gateway';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';
import { craftToken } from '../support/http';

const BASE = 'https://beta.example.test';
let alliance: TestAlliance;
let tdb: TestDatabase;
let gw: Gateway;

beforeAll(async () => {
  alliance = await createTestAlliance([{ id: 'alpha', endpoint: 'https://alpha.example.test' }, { id: 'beta', endpoint: BASE }]);
  const token = await alliance.sign(1, Math.floor(Date.now() / 1000));
  tdb = await createTestDatabase();
  gw = await startTestGateway({ alliance, memberId: 'beta', database: tdb.database, clock: systemClock, registry: () => token });
});

afterAll(async () => {
  await tdb?.drop();
});

/** A small seeded PRNG, so a failure names a seed that reproduces it. */
function prng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  return { int, pick, bytes };
}

const PATHS = ['/federation/v1/ping', '/federation/v1/registry', '/.well-known/handshake', '/ready', '/health', '/federation/v1/cases', '/%zz', '/federation/v1/ping?a=%', '/..%2f..%2fetc/passwd', `/${'a'.repeat(3000)}`];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];

async function headerValue(r: ReturnType<typeof prng>): Promise<string> {
  const kid = alliance.members.get('alpha')!.kid;
  switch (r.int(7)) {
    case 0: return base64url(r.bytes(r.int(200)));
    case 1: return `${base64url(r.bytes(r.int(50)))}.${base64url(r.bytes(r.int(300)))}.${base64url(r.bytes(64))}`;
    case 2: return `${base64url(utf8(JSON.stringify({ alg: r.pick(['Ed25519', 'EdDSA', 'ES256', 'none', 'HS256', 7, null]), typ: r.pick(['handshake-req+jwt', 'JWT', {}]), kid: r.pick([kid, '', 'x'.repeat(300), 1]) })))}.${base64url(r.bytes(r.int(100)))}.`;
    case 3: return craftToken(alliance.members.get('alpha')!.privateJwk, { alg: 'Ed25519', typ: 'handshake-req+jwt', kid }, r.pick(['[]', 'null', '{"iss":1}', '{"iat":"x","exp":{}}', '"s"', '{}', '{"iss":"alpha","aud":"beta","iat":1e400,"exp":-1}']));
    case 4: return '.'.repeat(r.int(20));
    case 5: return String.fromCharCode(...r.bytes(r.int(100)).map((b) => 0x20 + (b % 95)));
    default: return 'e'.repeat(r.int(10000));
  }
}

describe('garbage headers and bodies', () => {
  it('never get a 5xx, and every error is problem+json with a code', async () => {
    const seed = 20261128;
    const r = prng(seed);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const method = r.pick(METHODS);
      const headers: Record<string, string> = {};
      if (r.int(4)) headers['handshake-request'] = await headerValue(r);
      if (r.int(2)) headers['content-type'] = r.pick(['application/json', 'text/plain', 'application/json; charset=utf-8', '']);
      if (r.int(3) === 0) headers['idempotency-key'] = r.pick(['', 'k', 'x'.repeat(200), 'é', 'a b']);
      if (r.int(3) === 0) headers['content-length'] = String(r.int(1e9));
      const body = method === 'GET' || method === 'HEAD' ? undefined : r.bytes(r.int(2048));
      let res: Response;
      try {
        res = await gw.app.request(BASE + r.pick(PATHS), { method, headers, body: body as BodyInit | undefined });
      } catch (e) {
        // A Request the platform itself refuses to build (e.g. a bad Content-Length) never reaches us.
        if (e instanceof TypeError) continue;
        throw e;
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, `seed ${seed} iteration ${i}`).toBeLessThan(500);
      if (res.status >= 400 && method !== 'HEAD') {
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        const problem = (await res.json()) as { code?: string };
        expect(typeof problem.code).toBe('string');
      }
    }
    // The run reached more than one kind of refusal, so it did exercise the verifier.
    expect(statuses.size).toBeGreaterThan(4);
  });
});
