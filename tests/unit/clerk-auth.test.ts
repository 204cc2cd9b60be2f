// First on purpose: zod schemas made before @hono/zod-openapi is imported have no .openapi() (zod 4).
import { partnerSchema } from '../../src/services/partners/schema';
import { createHash } from 'node:crypto';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/context';
import { AppError, problemResponse } from '../../src/lib/errors';
import { bearerToken } from '../../src/routes/api/clerk-auth';
import { asAppError, fieldPath, rejectInvalid } from '../../src/routes/api/validation';
import { checkNewClerk } from '../../src/services/clerks/add-clerk';
import { memberWindows } from '../../src/services/clerks/member-windows';
import type { PartnerConfig } from '../../src/services/partners/schema';
import type { Deps } from '../../src/context';
import { createClerkApi } from '../../src/routes/api/index';
import { hashClerkToken, isClerkTokenShape, newClerkToken } from '../../src/services/clerks/token';

describe('clerk tokens', () => {
  it('are hsk_ and 32 random bytes in base64url, from the random source given', () => {
    const asked: number[] = [];
    const token = newClerkToken((n) => { asked.push(n); return new Uint8Array(n).fill(0xfb); });
    expect(asked).toEqual([32]);
    expect(token).toBe(`hsk_${Buffer.alloc(32, 0xfb).toString('base64url')}`);
    expect(isClerkTokenShape(token)).toBe(true);
    const a = newClerkToken();
    expect(a).toMatch(/^hsk_[A-Za-z0-9_-]{43}$/);
    expect(newClerkToken()).not.toBe(a);
  });

  it('are stored as the hex SHA-256 of the whole token', async () => {
    const token = newClerkToken();
    expect(await hashClerkToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
  });

  it.each(['', 'hsk_', `hsk_${'A'.repeat(42)}`, `hsk_${'A'.repeat(44)}`, `HSK_${'A'.repeat(43)}`, `hsk_${'A'.repeat(42)}=`])('%j is not token-shaped', (s) => {
    expect(isClerkTokenShape(s)).toBe(false);
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'], ['bearer abc', 'abc'], ['BEARER  abc ', 'abc'],
    [undefined, null], ['', null], ['Bearer', null], ['Bearer ', null], ['Basic abc', null], ['Bearer a b', null], ['Bearerabc', null],
  ])('%j -> %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe('checkNewClerk', () => {
  const windows = [{ id: 'kuayu-1', name: '跨域通办专窗 1号' }];
  const refusal = (input: Parameters<typeof checkNewClerk>[0]) => {
    try {
      checkNewClerk(input);
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      return { code: (e as AppError).code, errors: (e as AppError).errors };
    }
    throw new Error('accepted');
  };

  it('trims the name and takes a window of the member', () => {
    expect(checkNewClerk({ name: ' 王芳 ', window: 'kuayu-1', role: 'handling', windows })).toEqual({ name: '王芳', window: 'kuayu-1', role: 'handling' });
  });

  it('names every bad field', () => {
    const r = refusal({ name: '', window: 'Kuayu 1', role: 'boss', windows: null });
    expect(r.code).toBe('invalid_request');
    expect(r.errors?.map((e) => e.path).sort()).toEqual(['name', 'role', 'window']);
  });

  it("refuses a window the member does not have, and takes any well-formed one when it has no list", () => {
    expect(refusal({ name: '王芳', window: 'kuayu-2', role: 'intake', windows }).errors).toEqual([{ path: 'window', message: "not one of this member's windows: kuayu-1 (跨域通办专窗 1号)" }]);
    expect(checkNewClerk({ name: '王芳', window: 'kuayu-2', role: 'intake', windows: null }).window).toBe('kuayu-2');
  });
});

describe('memberWindows', () => {
  it("is the member's own partner file's windows, or none", () => {
    const config = { member: 'gaoxin', windows: [{ id: 'kuayu-1', name: '一号窗' }] } as PartnerConfig;
    const partners = new Map([['gaoxin', { config }]]);
    expect(memberWindows({ ctx: { partners, memberId: 'gaoxin' } })).toEqual(config.windows);
    expect(memberWindows({ ctx: { partners, memberId: 'beta' } })).toEqual([]);
  });
});

describe('the API validation hook', () => {
  const api = new OpenAPIHono<AppEnv>({ defaultHook: rejectInvalid });
  api.onError(asAppError);
  api.openapi(createRoute({
    method: 'post', path: '/things', request: {
      query: z.object({ limit: z.coerce.number().int().max(50) }),
      body: { required: true, content: { 'application/json': { schema: z.object({ items: z.array(z.object({ code: z.string().min(2) })) }) } } },
    },
    responses: { 200: { description: 'ok' } },
  }), (c) => c.json({ ok: true }, 200));
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', async (c, next) => { c.set('requestId', 'rq_test'); await next(); });
  app.route('/', api);
  app.onError((err, c) => problemResponse(err, c.get('requestId')));
  const post = (query: string, body: string, type = 'application/json') => app.request(`/things${query}`, { method: 'POST', body, headers: { 'content-type': type } });

  it('answers a bad query with 400 invalid_request and each field in errors[]', async () => {
    const res = await post('?limit=500', '{"items":[]}');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'invalid_request', detail: 'the query is not valid: 1 problem', errors: [{ path: 'limit', message: expect.any(String) }] });
  });

  it('names nested body fields as a.b[0].c', async () => {
    const res = await post('?limit=5', '{"items":[{"code":"ok"},{"code":"x"}]}');
    expect(await res.json()).toMatchObject({ status: 400, detail: 'the body is not valid: 1 problem', errors: [{ path: 'items[1].code' }] });
    expect(fieldPath(['a', 0, 'b'])).toBe('a[0].b');
  });

  it("turns the validators' own refusals (malformed JSON, another media type) into problems, not 500s", async () => {
    expect(await (await post('?limit=5', '{nope')).json()).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(await (await post('?limit=5', 'a=b', 'text/plain')).json()).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(() => asAppError(new HTTPException(502))).toThrow(HTTPException);
  });

  it('lets a valid request through', async () => {
    expect((await post('?limit=5', '{"items":[{"code":"ok"}]}')).status).toBe(200);
  });
});

describe('createClerkApi', () => {
  it('builds and documents itself even when the service schemas were made before @hono/zod-openapi was loaded', async () => {
    expect(partnerSchema).toBeDefined();
    const api = createClerkApi({ self: { memberId: 'gaoxin' } } as Deps);
    const doc = await (await api.request('/api/v1/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/windows/{windowId}');
  });
});
