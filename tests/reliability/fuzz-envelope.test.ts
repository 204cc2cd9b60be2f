import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/federation/envelope/sign';
import { loadSigner, type Signer } from '../../src/federation/keys';
import type { Gateway } from '../../src/gateway';
import { systemClock } from '../../src/lib/clock';
import { base64url, fromBase64url, utf8 } from '../../src/lib/encoding';
import { randomIds } from '../../src/lib/ids';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';

// Property-based (fast-check): a signed request changed in any one place is refused, and nothing a sender
// can put in the envelope or the body makes the receiver answer 5xx. A failure prints the seed and the
// shrunk counterexample; FC_SEED reproduces a run.
const BASE = 'https://beta.example.test';
const PING = `${BASE}/federation/v1/ping`;
const RUNS = Number(process.env.FC_RUNS ?? 150);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

let alliance: TestAlliance;
let tdb: TestDatabase;
let gw: Gateway;
let alpha: Signer;

beforeAll(async () => {
  alliance = await createTestAlliance([{ id: 'alpha', endpoint: 'https://alpha.example.test' }, { id: 'beta', endpoint: BASE }]);
  const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
  tdb = await createTestDatabase();
  gw = await startTestGateway({ alliance, memberId: 'beta', database: tdb.database, clock: systemClock, registry: () => registry });
  alpha = await loadSigner(alliance.members.get('alpha')!.privateJwk);
});
afterAll(async () => { await tdb?.drop(); });

async function signed(body: Uint8Array, url = PING, method = 'POST') {
  const { token } = await signRequest(alpha, { iss: 'alpha', aud: 'beta', method, url, body }, systemClock, randomIds);
  return token;
}

const send = (token: string, body: Uint8Array, url = PING, method = 'POST', key = crypto.randomUUID()) =>
  gw.app.request(url, {
    method, body: method === 'GET' ? undefined : (body as Uint8Array<ArrayBuffer>),
    headers: { 'handshake-request': token, 'content-type': 'application/json', 'idempotency-key': key },
  });

/** One bit of one byte of one part (header, claims, signature) of a compact JWS, flipped. */
function flipBit(token: string, part: number, at: number, bit: number): string {
  const parts = token.split('.');
  const bytes = fromBase64url(parts[part]!);
  bytes[at % bytes.length]! ^= 1 << bit;
  parts[part] = base64url(bytes);
  return parts.join('.');
}

describe('the envelope under property-based fuzzing (fast-check)', () => {
  it('an untouched signed ping is accepted (the properties below start from a good request)', async () => {
    const body = utf8('{}');
    expect((await send(await signed(body), body)).status).toBe(200);
  });

  it('a signed request with any one bit of its header, claims or signature flipped is refused with a 401 code, never 5xx', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 2 }), fc.nat(), fc.integer({ min: 0, max: 7 }), async (part, at, bit) => {
      const body = utf8('{}');
      const token = flipBit(await signed(body), part, at, bit);
      const res = await send(token, body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const problem = (await res.json()) as { code: string };
      expect(problem.code).toMatch(/^(bad_header|unknown_key|bad_signature|bad_claims|expired|future|iss_key_mismatch|aud_mismatch|method_mismatch|url_mismatch|digest_mismatch|missing_signature|replay|key_revoked)$/);
    }), { numRuns: RUNS, seed });
  });

  it('a body, method or URL other than the signed one is refused: the signature covers all three', async () => {
    const change = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 64 }).map((extra) => ({ kind: 'body' as const, extra })),
      fc.constantFrom('PUT', 'PATCH', 'DELETE').map((method) => ({ kind: 'method' as const, method })),
      fc.stringMatching(/^[a-z0-9=&]{1,20}$/).map((query) => ({ kind: 'url' as const, query })),
    );
    await fc.assert(fc.asyncProperty(change, async (c) => {
      const body = utf8('{}');
      const token = await signed(body);
      const res = c.kind === 'body' ? await send(token, new Uint8Array([...body, ...c.extra]))
        : c.kind === 'method' ? await send(token, body, PING, c.method)
          : await send(token, body, `${PING}?${c.query}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      if (res.status === 401) {
        const { code } = (await res.json()) as { code: string };
        expect(['digest_mismatch', 'method_mismatch', 'url_mismatch']).toContain(code);
      }
    }), { numRuns: RUNS, seed });
  });

  it('a U+0000 in any string of a signed body is 400 at that field (after the signature is checked)', async () => {
    const url = `${BASE}/federation/v1/cases`;
    const body = utf8(JSON.stringify({ caseId: 'x', applicant: { name: 'a\u0000b' } }));
    const res = await send(await signed(body, url), body, url);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_request', errors: [{ path: 'applicant.name', message: 'must not contain the character U+0000' }] });
  });

  it('any JSON, validly signed, to any federation endpoint gets a 4xx problem or a 2xx, never 5xx', async () => {
    const paths = ['/federation/v1/cases', '/federation/v1/cases/cs_AAAAAAAAAAAAAAAA/events', '/federation/v1/meetings', '/federation/v1/evaluations', '/federation/v1/ping'];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 4 }), async (path, value) => {
      const body = utf8(JSON.stringify(value));
      const url = `${BASE}${path}`;
      const res = await send(await signed(body, url), body, url);
      expect(res.status, `${path} ${JSON.stringify(value).slice(0, 200)}`).toBeLessThan(500);
      if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }), { numRuns: RUNS, seed });
  });
});
