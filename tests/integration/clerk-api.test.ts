import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/context';
import { createGateway, type Gateway } from '../../src/gateway';
import { systemClock } from '../../src/lib/clock';
import { problemResponse } from '../../src/lib/errors';
import { randomIds } from '../../src/lib/ids';
import type { Logger } from '../../src/lib/logger';
import { clerkAuth } from '../../src/routes/api/clerk-auth';
import { requestContext } from '../../src/routes/middleware/request-context';
import { addClerk } from '../../src/services/clerks/add-clerk';
import { revokeClerk } from '../../src/services/clerks/revoke-clerk';
import type { ClerkRole } from '../../src/services/clerks/schema';
import { partnerSchema } from '../../src/services/partners/schema';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';

const BASE = 'https://gaoxin.example.test';
const gaoxinFile = partnerSchema.parse(JSON.parse(readFileSync(new URL('../../partners/gaoxin.json', import.meta.url), 'utf8')));

/** Every log line and child binding, to check that no token is ever written. */
const logged: object[] = [];
const recorder: Logger = {
  debug: (o) => logged.push(o), info: (o) => logged.push(o), warn: (o) => logged.push(o), error: (o) => logged.push(o),
  child: (b) => { logged.push(b); return recorder; },
};

let alliance: TestAlliance;
let tdb: TestDatabase;
let gw: Gateway;
let tokens: Record<'intake' | 'handling' | 'revoked', string>;
let intakeId: string;

async function clerk(role: ClerkRole, name: string) {
  return addClerk({ ctx: { db: tdb.database.db, clock: systemClock, ids: randomIds }, input: { name, window: 'kuayu-1', role, windows: gaoxinFile.windows } });
}

beforeAll(async () => {
  alliance = await createTestAlliance([{ id: 'gaoxin', endpoint: BASE }, { id: 'beta', endpoint: 'https://beta.example.test' }]);
  const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
  tdb = await createTestDatabase();
  const member = alliance.members.get('gaoxin')!;
  // startTestGateway takes no partner files: this member has its own, with its windows.
  gw = await createGateway({
    memberId: 'gaoxin', publicUrl: BASE, signingJwk: member.privateJwk, anchors: alliance.anchors,
    registrySource: async () => registry, database: tdb.database, fetch: () => Promise.reject(new Error('no network in this test')),
    clock: systemClock, ids: randomIds, logger: recorder, partners: [gaoxinFile],
  });
  await gw.registry.start();
  const intake = await clerk('intake', '王芳');
  const handling = await clerk('handling', '李强');
  const revoked = await clerk('intake', '赵六');
  await revokeClerk({ ctx: { db: tdb.database.db, clock: systemClock }, input: { id: revoked.clerk.id } });
  tokens = { intake: intake.token, handling: handling.token, revoked: revoked.token };
  intakeId = intake.clerk.id;
});

afterAll(async () => { await tdb?.drop(); });

const get = (path: string, token?: string, app: { request: Gateway['app']['request'] } = gw.app) =>
  app.request(BASE + path, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = await res.json() as { code: string; status: number; detail: string; requestId: string; errors?: { path: string; message: string }[] };
  expect(body).toMatchObject({ code, status, requestId: res.headers.get('x-request-id') });
  return body;
}

describe('GET /api/v1/me', () => {
  it("answers the clerk's identity, window and member", async () => {
    const res = await get('/api/v1/me', tokens.intake);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: intakeId, name: '王芳', role: 'intake',
      window: { id: 'kuayu-1', name: '跨域通办专窗 1号' },
      member: { id: 'gaoxin', name: 'gaoxin 政务服务中心' },
    });
  });

  it('takes the scheme name in any case', async () => {
    const res = await gw.app.request(`${BASE}/api/v1/me`, { headers: { authorization: `bearer ${tokens.handling}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: '李强', role: 'handling' });
  });

  it('refuses a request without a token: 401 not_authorized with a Bearer challenge', async () => {
    const body = await expectProblem(await get('/api/v1/me'), 401, 'not_authorized');
    expect(body.detail).toMatch(/bearer token is required/);
    const other = await gw.app.request(`${BASE}/api/v1/me`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(other.headers.get('www-authenticate')).toBe('Bearer realm="handshake"');
    await expectProblem(other, 401, 'not_authorized');
  });

  it.each([
    ['well formed but never issued', `hsk_${'A'.repeat(43)}`],
    ['not a token of ours at all', 'eyJhbGciOiJub25lIn0.e30.'],
  ])('refuses an unknown token (%s) with error="invalid_token", never echoing it', async (_, token) => {
    const res = await get('/api/v1/me', token);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="handshake", error="invalid_token"');
    const body = await expectProblem(res, 401, 'not_authorized');
    expect(body.detail).toBe('this clerk token is not known');
    expect(JSON.stringify(body)).not.toContain(token);
  });

  it('refuses a revoked token with 401', async () => {
    const res = await get('/api/v1/me', tokens.revoked);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="handshake", error="invalid_token"');
    const body = await expectProblem(res, 401, 'not_authorized');
    expect(body.detail).toBe('this clerk token has been revoked');
    expect(JSON.stringify(body)).not.toContain(tokens.revoked);
  });

  it('is GET only: another method is 405 with Allow', async () => {
    const res = await gw.app.request(`${BASE}/api/v1/me`, { method: 'POST', headers: { authorization: `Bearer ${tokens.intake}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('clerkAuth roles', () => {
  let app: Hono<AppEnv>;
  beforeAll(() => {
    app = new Hono<AppEnv>();
    app.use('*', requestContext(gw.deps));
    app.get('/supervisors', clerkAuth(gw.deps, { roles: ['supervisor'] }), (c) => c.json(c.get('clerk')));
    app.get('/desk', clerkAuth(gw.deps, { roles: ['intake', 'supervisor'] }), (c) => c.json(c.get('clerk')));
    app.onError((err, c) => problemResponse(err, c.get('requestId')));
  });

  it('answers 403 not_authorized, without a challenge, to a clerk whose role is not allowed', async () => {
    const res = await get('/supervisors', tokens.intake, app);
    expect(res.headers.has('www-authenticate')).toBe(false);
    const body = await expectProblem(res, 403, 'not_authorized');
    expect(body.detail).toBe(`this is for supervisor clerks; clerk ${intakeId} is intake`);
  });

  it('lets an allowed role through with c.var.clerk set', async () => {
    const res = await get('/desk', tokens.intake, app);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: intakeId, name: '王芳', window: 'kuayu-1', role: 'intake', member: 'gaoxin' });
  });

  it('still answers 401 before looking at roles', async () => {
    await expectProblem(await get('/supervisors', tokens.revoked, app), 401, 'not_authorized');
  });
});

describe('GET /api/v1/windows', () => {
  it("lists this member's windows from its partner file", async () => {
    const res = await get('/api/v1/windows', tokens.handling);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ id: 'kuayu-1', name: '跨域通办专窗 1号', address: '高新区政务服务中心一楼' }]);
  });

  it('is [] for a member without a partner file', async () => {
    const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
    const beta = await startTestGateway({ alliance, memberId: 'beta', database: tdb.database, clock: systemClock, registry: () => registry });
    const res = await beta.app.request('https://beta.example.test/api/v1/windows', { headers: { authorization: `Bearer ${tokens.intake}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it('needs a token', async () => {
    await expectProblem(await get('/api/v1/windows'), 401, 'not_authorized');
  });

  it('answers one window by id, and 404 for a window the member does not have', async () => {
    const res = await get('/api/v1/windows/kuayu-1', tokens.intake);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 'kuayu-1', name: '跨域通办专窗 1号' });
    const body = await expectProblem(await get('/api/v1/windows/kuayu-9', tokens.intake), 404, 'not_found');
    expect(body.detail).toBe('gaoxin has no window kuayu-9');
  });

  it('refuses a malformed path parameter with 400 invalid_request naming it in errors[]', async () => {
    const body = await expectProblem(await get('/api/v1/windows/Kuayu_1!', tokens.intake), 400, 'invalid_request');
    expect(body.detail).toBe('the path parameters are not valid: 1 problem');
    expect(body.errors).toEqual([{ path: 'windowId', message: expect.any(String) }]);
  });

  it('authenticates before validating: a bad parameter without a token is 401', async () => {
    await expectProblem(await get('/api/v1/windows/Kuayu_1!'), 401, 'not_authorized');
  });
});

type OpenApiDoc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { operationId: string; security?: object[]; responses: Record<string, unknown>; parameters?: { name: string; in: string; required: boolean }[] }>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }>; schemas: Record<string, unknown> };
};

describe('the OpenAPI document and the docs page', () => {
  it('serves a valid OpenAPI 3.1 document without a token, listing the clerk operations under the bearer scheme', async () => {
    const res = await get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = await res.json() as OpenApiDoc;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.stringContaining('gaoxin'), version: '1' });
    expect(doc.components.securitySchemes).toEqual({ clerkToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(Object.keys(doc.paths).sort()).toEqual(expect.arrayContaining(['/api/v1/cases/{ref}/events', '/api/v1/cases/{ref}/timeline', '/api/v1/me', '/api/v1/windows', '/api/v1/windows/{windowId}']));
    const me = doc.paths['/api/v1/me']!.get!;
    expect(me.operationId).toBe('getMe');
    expect(me.security).toEqual([{ clerkToken: [] }]);
    expect(Object.keys(me.responses).sort()).toEqual(['200', '401']);
    expect(doc.paths['/api/v1/windows/{windowId}']!.get!.parameters).toEqual([expect.objectContaining({ name: 'windowId', in: 'path', required: true })]);
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) expect(op.security).toEqual([{ clerkToken: [] }]);
    // Every $ref points at a component the document has.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components.schemas).toHaveProperty(ref);
  });

  it('serves Swagger UI at /api/docs, pointed at the document', async () => {
    const res = await get('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('SwaggerUIBundle');
    expect(html).toContain('/api/v1/openapi.json');
  });
});

describe('logging', () => {
  it('never writes a token, valid, revoked or unknown, in any log line', () => {
    const text = JSON.stringify(logged);
    expect(logged).toContainEqual(expect.objectContaining({ route: '/api/v1/me', status: 401 }));
    for (const token of [...Object.values(tokens), `hsk_${'A'.repeat(43)}`]) expect(text).not.toContain(token.slice(4));
  });
});
