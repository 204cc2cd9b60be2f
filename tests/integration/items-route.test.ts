import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/federation/envelope/sign';
import { loadSigner } from '../../src/federation/keys';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import type { Logger } from '../../src/lib/logger';
import type { Gateway } from '../../src/gateway';
import { catalogItemSchema, type CatalogItem } from '../../src/services/catalog/item-schema';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';

const BASE = 'https://beta.example.test';
const item = (code: string, name: string): CatalogItem => catalogItemSchema.parse({
  code, name, itemType: '公共服务', department: '住房公积金管理中心', modes: ['online', 'proxy_intake'],
  materials: [{ id: 'id-card', name: '居民身份证', form: '原件', copies: 1, requirement: 'required', trustLevel: 'B' }],
  statutoryDays: 5, promisedDays: 3, resultKind: 'other', electronicLicence: false, deliveryMethods: ['window'],
  provenance: { status: 'local', note: 'test' },
});
const catalog = new Map([['KS-GJJ-001', item('KS-GJJ-001', '住房公积金个人缴存证明')], ['KS-GJJ-002', item('KS-GJJ-002', '提前还清住房公积金贷款')]]);

let alliance: TestAlliance;
let tdb: TestDatabase;
let gw: Gateway;
const warnings: object[] = [];
const recorder: Logger = { debug: () => {}, info: () => {}, warn: (o) => warnings.push(o), error: () => {}, child: () => recorder };

beforeAll(async () => {
  alliance = await createTestAlliance([{ id: 'alpha', endpoint: 'https://alpha.example.test' }, { id: 'beta', endpoint: BASE }]);
  alliance.members.get('beta')!.items = [{ code: 'KS-GJJ-001', modes: ['online'] }, { code: 'KS-GONE-009', modes: ['online'] }, { code: 'KS-GJJ-002', modes: ['proxy_intake', 'online'] }];
  const token = await alliance.sign(1, Math.floor(Date.now() / 1000));
  tdb = await createTestDatabase();
  gw = await startTestGateway({ alliance, memberId: 'beta', database: tdb.database, clock: systemClock, registry: () => token, logger: recorder, catalog: { itemsInForce: async () => catalog } });
});

afterAll(async () => { await tdb?.drop(); });

async function get(path: string, signedBy: string | null = 'alpha') {
  const headers: Record<string, string> = {};
  if (signedBy) {
    const signer = await loadSigner(alliance.members.get(signedBy)!.privateJwk);
    headers['handshake-request'] = (await signRequest(signer, { iss: signedBy, aud: 'beta', method: 'GET', url: BASE + path, body: new Uint8Array() }, systemClock, randomIds)).token;
  }
  return gw.app.request(BASE + path, { headers });
}

describe('GET /federation/v1/items', () => {
  it('lists the registry items of this member with the registry modes and the catalog details; the rest is logged', async () => {
    const res = await get('/federation/v1/items');
    expect(res.status).toBe(200);
    expect(res.headers.has('handshake-response')).toBe(true);
    expect(await res.json()).toEqual([
      { code: 'KS-GJJ-001', name: '住房公积金个人缴存证明', modes: ['online'], materials: catalog.get('KS-GJJ-001')!.materials },
      { code: 'KS-GJJ-002', name: '提前还清住房公积金贷款', modes: ['proxy_intake', 'online'], materials: catalog.get('KS-GJJ-002')!.materials },
    ]);
    expect(warnings).toContainEqual(expect.objectContaining({ missing: ['KS-GONE-009'] }));
  });

  it('is signed both ways: an unsigned request is refused', async () => {
    const res = await get('/federation/v1/items', null);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'missing_signature' });
  });
});
