import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { seedDefaultCatalog } from '../../src/entry/node/catalog';
import { signRequest } from '../../src/federation/envelope/sign';
import { loadSigner } from '../../src/federation/keys';
import { systemClock } from '../../src/lib/clock';
import { utf8 } from '../../src/lib/encoding';
import { randomIds } from '../../src/lib/ids';
import type { Gateway } from '../../src/gateway';
import { dbCatalogReader } from '../../src/services/catalog/catalog-in-force';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { caseEvents } from '../../src/db/schema/index';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';

const ENDPOINTS = { gaoxin: 'https://gaoxin.example.test', xihaike: 'https://xihaike.example.test', 'chengdu-gx': 'https://chengdu.example.test' } as const;
type Member = keyof typeof ENDPOINTS;
let alliance: TestAlliance;
let tdb: TestDatabase;
const gw = {} as Record<Member, Gateway>;
let ref: string;

beforeAll(async () => {
  alliance = await createTestAlliance(Object.entries(ENDPOINTS).map(([id, endpoint]) => ({ id, endpoint })));
  alliance.members.get('xihaike')!.items = [{ code: 'KS-GJJ-003', modes: ['proxy_intake'] }];
  const token = await alliance.sign(1, Math.floor(Date.now() / 1000));
  tdb = await createTestDatabase();
  await seedDefaultCatalog(tdb.database.db);
  for (const id of ['gaoxin', 'xihaike'] as const) {
    gw[id] = await startTestGateway({ alliance, memberId: id, database: tdb.database, clock: systemClock, registry: () => token, catalog: dbCatalogReader(tdb.database.db) });
  }
  const content = utf8('%PDF 合同');
  const transfer = await call('gaoxin', 'xihaike', 'POST', '/federation/v1/cases', {
    caseId: 'GX-20261128-0001', itemCode: 'KS-GJJ-003', mode: 'proxy_intake',
    applicant: { kind: 'person', name: '李四', idType: 'resident_id', idNumber: '370211199202021234' },
    intake: { member: 'gaoxin', window: 'kuayu-1', clerk: 'clerk-1', receivedAt: '2026-11-28T09:00:00+08:00', identityCheck: { method: 'id_card_reader', result: 'passed' } },
    materials: [{ requirement: 'purchase-contract', name: '购房合同', mediaType: 'application/pdf', size: content.length, sha256: createHash('sha256').update(content).digest('hex'), content: Buffer.from(content).toString('base64') }],
    delivery: { method: 'window' }, consent: { dataSharing: true, at: '2026-11-28T08:59:00+08:00' },
  });
  expect(transfer.status).toBe(202);
  ref = transfer.json.caseRef as string;
});

afterAll(async () => { await tdb?.drop(); });

async function call(from: Member, to: Member, method: 'GET' | 'POST', path: string, body?: unknown, key: string = crypto.randomUUID()) {
  const bytes = body === undefined ? new Uint8Array() : utf8(JSON.stringify(body));
  const signer = await loadSigner(alliance.members.get(from)!.privateJwk);
  const { token } = await signRequest(signer, { iss: from, aud: to, method, url: ENDPOINTS[to] + path, body: bytes }, systemClock, randomIds);
  const headers: Record<string, string> = { 'handshake-request': token };
  if (body !== undefined) { headers['content-type'] = 'application/json'; headers['idempotency-key'] = key; }
  const res = await gw[to as 'gaoxin' | 'xihaike'].app.request(ENDPOINTS[to] + path, { method, headers, body: method === 'POST' ? (bytes as Uint8Array<ArrayBuffer>) : undefined });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, signed: res.headers.has('handshake-response') };
}

const ev = (type: string, eventId: string, extra: Record<string, unknown> = {}) => ({ eventId, type, at: '2026-11-28T10:00:00+08:00', ...extra });

describe('case status and events (§7.2) on the handling side', () => {
  it('the intake member reads the status and timeline; any other member gets 404, never 403', async () => {
    expect(await call('gaoxin', 'xihaike', 'GET', `/federation/v1/cases/${ref}`)).toMatchObject({ status: 200, json: { caseRef: ref, caseId: 'GX-20261128-0001', status: 'received', timeline: [] } });
    expect((await call('chengdu-gx' as Member, 'xihaike', 'GET', `/federation/v1/cases/${ref}`)).status).toBe(404);
    expect((await call('gaoxin', 'xihaike', 'GET', '/federation/v1/cases/cs_AAAAAAAAAAAAAAAA')).json).toMatchObject({ code: 'not_found' });
  });

  it('an event the intake side may not send is 403; one the state does not allow is 409', async () => {
    expect(await call('gaoxin', 'xihaike', 'POST', `/federation/v1/cases/${ref}/events`, ev('accepted', 'e-accept'))).toMatchObject({ status: 403, json: { code: 'not_authorized' }, signed: true });
    const content = utf8('补充');
    const supplement = ev('supplement_provided', 'e-supp', { data: { materials: [{ requirement: 'id-card', name: '身份证', mediaType: 'image/jpeg', size: content.length, sha256: createHash('sha256').update(content).digest('hex'), content: Buffer.from(content).toString('base64') }] } });
    expect(await call('gaoxin', 'xihaike', 'POST', `/federation/v1/cases/${ref}/events`, supplement)).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
  });

  it('a bad event body names its fields', async () => {
    const r = await call('gaoxin', 'xihaike', 'POST', `/federation/v1/cases/${ref}/events`, { eventId: 'x', type: 'shipped', at: 'soon', data: {} });
    expect(r.status).toBe(400);
    expect((r.json.errors as { path: string }[]).map((e) => e.path)).toEqual(expect.arrayContaining(['at']));
  });

  it('withdrawal: applied once, repeated harmlessly, a conflicting repeat refused, and nothing after it but closing', async () => {
    const withdraw = ev('withdrawn', 'e-withdraw', { note: '申请人撤回' });
    expect(await call('gaoxin', 'xihaike', 'POST', `/federation/v1/cases/${ref}/events`, withdraw)).toMatchObject({ status: 200, json: { eventId: 'e-withdraw', status: 'withdrawn' } });
    expect(await call('gaoxin', 'xihaike', 'POST', `/federation/v1/cases/${ref}/events`, withdraw)).toMatchObject({ status: 200, json: { eventId: 'e-withdraw', status: 'withdrawn' } });
    expect(await call('gaoxin', 'xihaike', 'POST', `/federation/v1/cases/${ref}/events`, { ...withdraw, note: '另一个理由' })).toMatchObject({ status: 409, json: { code: 'idempotency_conflict' } });
    expect(await call('gaoxin', 'xihaike', 'POST', `/federation/v1/cases/${ref}/events`, ev('delivered', 'e-deliver'))).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    // A local step of xihaike's (as its back office leaves them) is its own: the intake member's view has §7.2 events only.
    await tdb.database.db.insert(caseEvents).values({ id: 'ev_local', caseRef: ref, eventId: 'sf_local', type: 'supplement_forwarded', at: new Date(), side: 'handling', sender: 'xihaike', contentHash: '-', statusAfter: 'withdrawn', recordedAt: new Date() });
    const status = await call('gaoxin', 'xihaike', 'GET', `/federation/v1/cases/${ref}`);
    expect(status.json).toMatchObject({ status: 'withdrawn', timeline: [{ eventId: 'e-withdraw', type: 'withdrawn', side: 'intake', status: 'withdrawn', note: '申请人撤回' }] });
    expect((status.json.timeline as unknown[]).length).toBe(1);
  });
});

describe('events on the intake side, from the handling member', () => {
  it('moves the intake case by the handling member\'s ref, found only for that member', async () => {
    const remote = 'cs_XHKremote0000001';
    await tdb.database.db.execute(sql`insert into cases (ref, role, intake_member, handling_member, intake_case_id, item_code, mode, state, state_detail, remote_ref,
      applicant_kind, applicant_name, applicant_id_type, applicant_id_sealed, applicant_id_masked, intake, delivery, consent, materials_digest, created_at, updated_at)
      values ('cs_GXlocal000000001', 'intake', 'gaoxin', 'xihaike', 'GX-20261128-0002', 'KS-GJJ-003', 'proxy_intake', 'received',
      ${JSON.stringify({ status: 'received', delivery: 'window', received: true, accepted: false, supplementRequested: false })}::jsonb, ${remote},
      'person', '王五', 'resident_id', 'v1.x.y', '370211********1234', '{}'::jsonb, '{"method":"window"}'::jsonb, '{}'::jsonb, 'd', now(), now())`);
    expect(await call('xihaike', 'gaoxin', 'POST', `/federation/v1/cases/${remote}/events`, ev('accepted', 'x-1'))).toMatchObject({ status: 200, json: { status: 'accepted' } });
    const request = ev('supplement_requested', 'x-2', { data: { items: [{ name: '婚姻证明', reason: '缺失' }], deadline: '2026-12-05T17:00:00+08:00' } });
    expect(await call('xihaike', 'gaoxin', 'POST', `/federation/v1/cases/${remote}/events`, request)).toMatchObject({ status: 200, json: { status: 'supplement_requested' } });
    // Only one request for supplements (一次性告知).
    expect(await call('xihaike', 'gaoxin', 'POST', `/federation/v1/cases/${remote}/events`, { ...request, eventId: 'x-3' })).toMatchObject({ status: 409 });
    // The intake member's own ref means nothing to the handling member, and the remote ref nothing to others.
    expect((await call('xihaike', 'gaoxin', 'POST', '/federation/v1/cases/cs_GXlocal000000001/events', ev('accepted', 'x-4'))).status).toBe(404);
    expect((await call('chengdu-gx' as Member, 'gaoxin', 'GET', `/federation/v1/cases/${remote}`)).status).toBe(404);
  });
});
