import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDefaultCatalog } from '../../src/entry/node/catalog';
import type { Gateway } from '../../src/gateway';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { dbCatalogReader } from '../../src/services/catalog/catalog-in-force';
import { addClerk } from '../../src/services/clerks/add-clerk';
import type { ClerkRole } from '../../src/services/clerks/schema';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';

// Every JSON input of the clerk API, found from its own OpenAPI document, under property-based fuzzing:
// random JSON and valid bodies with one part replaced or removed. Zero 5xx; every refusal is problem+json
// naming a code, and a 400 for a body names the fields.
const BASE = 'https://gaoxin.example.test';
const RUNS = Number(process.env.FC_RUNS ?? 100);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const WINDOWS = [{ id: 'kuayu-1', name: '跨域通办专窗 1号' }];

let alliance: TestAlliance;
let tdb: TestDatabase;
let gw: Gateway;
const tokens = {} as Record<ClerkRole, string>;
let caseRef = '';

const VALID: Record<string, unknown> = {
  'POST /api/v1/cases': {
    itemCode: 'KS-GJJ-003', mode: 'proxy_intake',
    applicant: { kind: 'person', name: '李四', idType: 'resident_id', idNumber: '370211199202021234', phone: '13912345678' },
    identityCheck: { method: 'id_card_reader', result: 'passed' }, delivery: { method: 'window' },
    consent: { dataSharing: true, at: '2026-11-28T08:59:00+08:00' },
  },
  'POST /api/v1/cases/{ref}/materials': { requirement: 'id-card', name: '身份证', mediaType: 'application/pdf', content: 'JVBERi0xLjQK' },
  'POST /api/v1/cases/{ref}/events': { type: 'withdrawn', note: '申请人撤回' },
  'POST /api/v1/cases/{ref}/shipments': { direction: 'originals_to_handling', carrier: 'EMS', trackingNo: '1234567890' },
  'POST /api/v1/cases/{ref}/evaluations': { stage: 'accepted', score: 2, channel: 'window', comment: '等待时间长' },
  'POST /api/v1/complaints': { channel: 'hotline', category: 'efficiency', subject: '办理慢', content: '等了很久' },
};

beforeAll(async () => {
  alliance = await createTestAlliance([{ id: 'gaoxin', endpoint: BASE }, { id: 'xihaike', endpoint: 'https://xihaike.example.test' }]);
  alliance.members.get('xihaike')!.items = [{ code: 'KS-GJJ-003', modes: ['proxy_intake'] }];
  const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
  tdb = await createTestDatabase();
  await seedDefaultCatalog(tdb.database.db);
  gw = await startTestGateway({ alliance, memberId: 'gaoxin', database: tdb.database, clock: systemClock, registry: () => registry, catalog: dbCatalogReader(tdb.database.db) });
  for (const role of ['intake', 'handling', 'supervisor'] as const) {
    tokens[role] = (await addClerk({ ctx: { db: tdb.database.db, clock: systemClock, ids: randomIds }, input: { name: role, window: 'kuayu-1', role, windows: WINDOWS } })).token;
  }
  const created = await call('POST', '/api/v1/cases', VALID['POST /api/v1/cases'], tokens.intake);
  expect(created.status).toBe(201);
  caseRef = ((await created.json()) as { ref: string }).ref;
});
afterAll(async () => { await tdb?.drop(); });

const call = (method: string, path: string, body: unknown, token: string) =>
  gw.app.request(BASE + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });

interface Operation { method: string; path: string }

async function jsonOperations(): Promise<Operation[]> {
  const doc = (await (await gw.app.request(`${BASE}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).filter(([m, op]) => ['post', 'put', 'patch'].includes(m) && op.requestBody).map(([m]) => ({ method: m.toUpperCase(), path })));
}

const fillPath = (path: string, ref: string) =>
  path.replace('{ref}', ref).replace(/\{[a-zA-Z]+\}/g, (p) => (p === '{member}' ? 'xihaike' : `x_${p.length}AAAAAAAAAAAAAA`));

/** A valid body with one leaf replaced by any JSON value, or one key dropped. */
function mutated(valid: unknown): fc.Arbitrary<unknown> {
  const paths: string[][] = [];
  const walk = (v: unknown, at: string[]) => {
    if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) { paths.push([...at, k]); walk(c, [...at, k]); }
  };
  walk(valid, []);
  if (!paths.length) return fc.jsonValue();
  return fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined), fc.constantFrom('\u0000', 'a\u0000b', '李\u0000'))).map(([at, value]) => {
    const copy = structuredClone(valid) as Record<string, unknown>;
    let node = copy;
    for (const k of at.slice(0, -1)) node = node[k] as Record<string, unknown>;
    if (value === undefined) delete node[at.at(-1)!];
    else node[at.at(-1)!] = value;
    return copy;
  });
}

describe('the clerk API under property-based fuzzing (fast-check)', () => {
  it('finds its JSON inputs in its own OpenAPI document', async () => {
    const ops = await jsonOperations();
    expect(ops.length).toBeGreaterThan(10);
    expect(ops).toContainEqual({ method: 'POST', path: '/api/v1/cases' });
  });

  it('a U+0000 anywhere in a body is 400 at that field, and nothing is written (PostgreSQL text cannot hold it)', async () => {
    const before = (await (await call('GET', '/api/v1/cases', undefined, tokens.intake)).json()) as unknown[];
    const body = structuredClone(VALID['POST /api/v1/cases']) as { applicant: { name: string } };
    body.applicant.name = '李\u0000四';
    const res = await call('POST', '/api/v1/cases', body, tokens.intake);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([{ path: 'applicant.name', message: 'must not contain the character U+0000' }]);
    const after = (await (await call('GET', '/api/v1/cases', undefined, tokens.intake)).json()) as unknown[];
    expect(after.length).toBe(before.length);
  });

  it('no body, random or almost valid, sent by any role to any JSON operation gets a 5xx', async () => {
    const ops = await jsonOperations();
    const body = (op: Operation) => {
      const valid = VALID[`${op.method} ${op.path}`];
      return fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string(), ...(valid ? [mutated(valid), mutated(valid), fc.constant(valid)] : []));
    };
    const seen = new Map<number, number>();
    const input = fc.constantFrom(...ops).chain((op) => fc.tuple(fc.constant(op), body(op), fc.constantFrom<ClerkRole>('intake', 'handling', 'supervisor'), fc.boolean()));
    await fc.assert(fc.asyncProperty(input, async ([op, value, role, realRef]) => {
      const res = await call(op.method, fillPath(op.path, realRef ? caseRef : 'cs_AAAAAAAAAAAAAAAA'), value, tokens[role]);
      const what = `${op.method} ${op.path} as ${role}: ${String(JSON.stringify(value)).slice(0, 300)}`;
      expect(res.status, what).toBeLessThan(500);
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      if (res.status >= 400) {
        expect(res.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
        const problem = (await res.json()) as { code?: string; errors?: { path: string; message: string }[] };
        expect(typeof problem.code, what).toBe('string');
        if (res.status === 400 && problem.errors) for (const e of problem.errors) expect(typeof e.message).toBe('string');
      }
    }), { numRuns: RUNS * Math.max(1, Math.ceil(ops.length / 4)), seed });
    // The run got past validation as well as into it: refusals of several kinds, and some bodies accepted.
    expect([...seen.keys()].filter((s) => s >= 400).length, JSON.stringify([...seen])).toBeGreaterThanOrEqual(3);
    expect([...seen.keys()].some((s) => s < 300), JSON.stringify([...seen])).toBe(true);
  }, 240_000);
});
