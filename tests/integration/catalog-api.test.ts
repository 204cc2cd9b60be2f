import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_FILE, seedDefaultCatalog } from '../../src/entry/node/catalog';
import type { Gateway } from '../../src/gateway';
import { fixedClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { dbCatalogReader } from '../../src/services/catalog/catalog-in-force';
import { importCatalog } from '../../src/services/catalog/import-catalog';
import type { CatalogItem } from '../../src/services/catalog/item-schema';
import { addClerk } from '../../src/services/clerks/add-clerk';
import type { ClerkRole } from '../../src/services/clerks/schema';
import { createTestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';

const BASE = 'https://gaoxin.example.test';
/** Monday 2026-03-02 09:00 in Beijing. */
const NOW = Date.parse('2026-03-02T09:00:00+08:00');
const defaults = (JSON.parse(readFileSync(DEFAULT_CATALOG_FILE, 'utf8')) as { items: CatalogItem[] }).items;
const byCode = (code: string) => structuredClone(defaults.find((i) => i.code === code)!);

// The version in force from 2026-03-01: the default items, two of them with a 基本编码 and a national name of
// their own, and 3000 more of a test department (the search stays in memory; a few thousand is the scale).
const GJJ003 = { ...byCode('KS-GJJ-003'), baseCode: 'QT-370200-0003' };
const GZ004 = { ...byCode('KS-GZ-004'), nationalName: '出生医学证明类公证' };
const generated = Array.from({ length: 3000 }, (_, n) => ({
  ...byCode('KS-GJJ-001'), code: `KS-TEST-${String(n + 1).padStart(4, '0')}`, name: `测试事项${n + 1}`, department: '测试局',
  nationalName: undefined, provenance: { status: 'local', note: 'test' },
}));
const inForce = [...defaults.map((i) => (i.code === GJJ003.code ? GJJ003 : i.code === GZ004.code ? GZ004 : i)), ...generated];
const departments = [...new Set(inForce.map((i) => i.department))].sort();

let tdb: TestDatabase;
let gw: Gateway;
let tokens: Record<ClerkRole, string>;

async function importVersion(version: string, effectiveFrom: string, items: unknown[]) {
  await importCatalog({ db: tdb.database.db, version, effectiveFrom, source: `${version}.json`, sha256: 'a'.repeat(64), items, importedAt: new Date(NOW - 60_000) });
}

beforeAll(async () => {
  const alliance = await createTestAlliance([
    { id: 'gaoxin', endpoint: BASE }, { id: 'xihaike', endpoint: 'https://xihaike.example.test' }, { id: 'chengdu-gx', endpoint: 'https://chengdu.example.test' },
  ]);
  alliance.members.get('xihaike')!.items = [{ code: 'KS-GJJ-003', modes: ['proxy_intake'] }, { code: 'KS-SB-004', modes: ['online', 'proxy_intake'] }];
  // Suspended: listed, but not offered to anyone (its requests are refused).
  Object.assign(alliance.members.get('chengdu-gx')!, { status: 'suspended', items: [{ code: 'KS-GJJ-003', modes: ['online'] }] });
  const registry = await alliance.sign(1, Math.floor(NOW / 1000) - 60, Math.floor(NOW / 1000) + 86_400);
  tdb = await createTestDatabase();
  await seedDefaultCatalog(tdb.database.db);
  await importVersion('2026-03', '2026-03-01', inForce);
  await importVersion('2026-04', '2026-04-01', [{ ...byCode('KS-GJJ-001'), code: 'KS-FUT-001', name: '尚未施行的事项' }]);
  const clock = fixedClock(NOW);
  gw = await startTestGateway({ alliance, memberId: 'gaoxin', database: tdb.database, clock, registry: () => registry, catalog: dbCatalogReader(tdb.database.db) });
  const clerk = async (role: ClerkRole) => (await addClerk({ ctx: { db: tdb.database.db, clock, ids: randomIds }, input: { name: role, window: 'kuayu-1', role, windows: null } })).token;
  tokens = { intake: await clerk('intake'), handling: await clerk('handling'), supervisor: await clerk('supervisor') };
});

afterAll(async () => { await tdb?.drop(); });

async function get(path: string, token: string | null = tokens.intake) {
  const res = await gw.app.request(BASE + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const codes = (json: { items: { code: string }[] }) => json.items.map((i) => i.code);

describe('GET /api/v1/items: the catalog in force, searched', () => {
  it('pages through the version in force by code, with every department of it; a later version is not in force yet', async () => {
    const r = await get('/api/v1/items');
    expect(r.status).toBe(200);
    expect(r.json.total).toBe(inForce.length);
    expect(codes(r.json as never)).toEqual(inForce.map((i) => i.code).sort().slice(0, 50));
    expect(r.json.departments).toEqual(departments);
    const last = await get('/api/v1/items?department=测试局&limit=100&offset=2950');
    expect(last.json.total).toBe(3000);
    expect(codes(last.json as never)).toEqual(generated.slice(2950).map((i) => i.code));
    expect((await get('/api/v1/items?q=KS-FUT')).json).toMatchObject({ items: [], total: 0 });
  });

  it('answers each item in the contract shape, offered by the active members the registry lists for it', async () => {
    const r = await get(`/api/v1/items?q=${encodeURIComponent('购房提取')}`);
    expect(r.json.total).toBe(1);
    expect(r.json.items).toEqual([{
      code: 'KS-GJJ-003', name: GJJ003.name, department: GJJ003.department, type: GJJ003.itemType, modes: GJJ003.modes,
      legalDays: GJJ003.statutoryDays, promisedDays: GJJ003.promisedDays, provenance: GJJ003.provenance, offeredBy: ['xihaike'],
    }]);
    expect((await get('/api/v1/items?q=KS-SCZT-001')).json.items[0].offeredBy).toEqual([]);
  });

  it('q matches the name, the national name, the code and the 基本编码, ignoring case', async () => {
    expect(codes((await get('/api/v1/items?q=ks-gjj-01')).json as never)).toEqual(defaults.filter((i) => i.code.startsWith('KS-GJJ-01')).map((i) => i.code).sort());
    expect(codes((await get('/api/v1/items?q=qt-370200')).json as never)).toEqual(['KS-GJJ-003']);
    expect(codes((await get(`/api/v1/items?q=${encodeURIComponent('出生医学证明类')}`)).json as never)).toEqual(['KS-GZ-004']);
    expect(codes((await get(`/api/v1/items?q=${encodeURIComponent('住房公积金')}&limit=500`)).json as never))
      .toEqual(defaults.filter((i) => i.name.includes('住房公积金') || i.nationalName?.includes('住房公积金')).map((i) => i.code).sort());
    // An empty q is no filter.
    expect((await get('/api/v1/items?q=')).json.total).toBe(inForce.length);
  });

  it('filters by department and by mode together', async () => {
    const r = await get(`/api/v1/items?department=${encodeURIComponent('公安部')}&mode=joint`);
    const expected = defaults.filter((i) => i.department === '公安部' && i.modes.includes('joint')).map((i) => i.code).sort();
    expect(expected.length).toBeGreaterThan(3);
    expect(r.json).toMatchObject({ total: expected.length, departments });
    expect(codes(r.json as never)).toEqual(expected);
  });

  it('a bad query is 400 naming each field; no token is 401', async () => {
    const r = await get('/api/v1/items?limit=0&offset=-1&mode=fax');
    expect(r).toMatchObject({ status: 400, json: { code: 'invalid_request' } });
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect((r.json.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['limit', 'mode', 'offset']);
    const anon = await get('/api/v1/items', null);
    expect(anon).toMatchObject({ status: 401, json: { code: 'not_authorized' } });
    expect(anon.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('GET /api/v1/items/{code}', () => {
  it('is the full catalog record of the version in force and who offers it in which modes', async () => {
    for (const token of Object.values(tokens)) {
      const r = await get('/api/v1/items/KS-GJJ-003', token);
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ ...GJJ003, offeredBy: [{ member: 'xihaike', name: 'xihaike 政务服务中心', modes: ['proxy_intake'] }] });
    }
  });

  it('an item the catalog in force lacks is 404; a malformed code 400; no token 401', async () => {
    expect(await get('/api/v1/items/KS-FUT-001')).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect(await get('/api/v1/items/KS-NONE-001')).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect(await get('/api/v1/items/not-a-code')).toMatchObject({ status: 400, json: { code: 'invalid_request', errors: [{ path: 'code' }] } });
    expect(await get('/api/v1/items/KS-GJJ-003', null)).toMatchObject({ status: 401, json: { code: 'not_authorized' } });
  });
});

describe('GET /api/v1/members', () => {
  it('lists the members of the registry in force with their status and item count, for every role', async () => {
    for (const token of Object.values(tokens)) {
      const r = await get('/api/v1/members', token);
      expect(r.status).toBe(200);
      expect(r.json).toEqual([
        { id: 'gaoxin', name: 'gaoxin 政务服务中心', status: 'active', items: 0 },
        { id: 'xihaike', name: 'xihaike 政务服务中心', status: 'active', items: 2 },
        { id: 'chengdu-gx', name: 'chengdu-gx 政务服务中心', status: 'suspended', items: 1 },
      ]);
    }
  });

  it('no token, or an unknown one, is 401', async () => {
    expect(await get('/api/v1/members', null)).toMatchObject({ status: 401, json: { code: 'not_authorized' } });
    expect(await get('/api/v1/members', `hsk_${'A'.repeat(43)}`)).toMatchObject({ status: 401, json: { code: 'not_authorized' } });
  });
});

describe('the OpenAPI document', () => {
  it('declares the catalog, members and evidence routes under the bearer scheme', async () => {
    const doc = (await (await gw.app.request(`${BASE}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId: string; security: object[] }>> };
    const ops = Object.fromEntries(['/api/v1/items', '/api/v1/items/{code}', '/api/v1/members', '/api/v1/cases/{ref}/evidence-bundle'].map((p) => [p, doc.paths[p]?.get?.operationId]));
    expect(ops).toEqual({ '/api/v1/items': 'searchItems', '/api/v1/items/{code}': 'getItem', '/api/v1/members': 'listMembers', '/api/v1/cases/{ref}/evidence-bundle': 'getEvidenceBundle' });
    expect(doc.paths['/api/v1/members']!.get!.security).toEqual([{ clerkToken: [] }]);
  });
});
