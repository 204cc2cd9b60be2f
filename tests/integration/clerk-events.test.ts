import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { seedDefaultCatalog } from '../../src/entry/node/catalog';
import type { Gateway } from '../../src/gateway';
import { systemClock } from '../../src/lib/clock';
import { utf8 } from '../../src/lib/encoding';
import { randomIds } from '../../src/lib/ids';
import { dbCatalogReader } from '../../src/services/catalog/catalog-in-force';
import { addClerk } from '../../src/services/clerks/add-clerk';
import { startOutboxWorker } from '../../src/entry/node/outbox-worker';
import { silentLogger } from '../../src/lib/logger';
import type { ClerkRole } from '../../src/services/clerks/schema';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { inProcessFetch, startTestGateway } from '../support/gateway';
import { postSigned } from '../support/signed';

const ENDPOINTS = { gaoxin: 'https://gaoxin.example.test', xihaike: 'https://xihaike.example.test' } as const;
type Member = keyof typeof ENDPOINTS;
const GX_REF = 'cs_GXlocal000000001';
const GX_UNSENT = 'cs_GXunsent00000001';

let alliance: TestAlliance;
const dbs = {} as Record<Member, TestDatabase>;
const gw = {} as Record<Member, Gateway>;
const routes: Record<string, Gateway> = {};
let ref: string;
let tokens: Record<'handling' | 'supervisor' | 'intake' | 'otherWindow' | 'gxHandling', string>;

async function clerk(member: Member, role: ClerkRole, window = 'kuayu-1') {
  const { token } = await addClerk({ ctx: { db: dbs[member].database.db, clock: systemClock, ids: randomIds }, input: { name: `${member} ${role}`, window, role, windows: null } });
  return token;
}

/** A signed §7.1 transfer from gaoxin, so that xihaike holds a handling case. */
async function transferToXihaike(): Promise<string> {
  const content = utf8('%PDF 合同');
  const res = await postSigned({ alliance, from: 'gaoxin', to: 'xihaike', url: `${ENDPOINTS.xihaike}/federation/v1/cases`, app: gw.xihaike.app, body: {
    caseId: 'GX-20261128-0001', itemCode: 'KS-GJJ-003', mode: 'proxy_intake',
    applicant: { kind: 'person', name: '李四', idType: 'resident_id', idNumber: '370211199202021234' },
    intake: { member: 'gaoxin', window: 'kuayu-1', clerk: 'clerk-1', receivedAt: '2026-11-28T09:00:00+08:00', identityCheck: { method: 'id_card_reader', result: 'passed' } },
    materials: [{ requirement: 'purchase-contract', name: '购房合同', mediaType: 'application/pdf', size: content.length, sha256: sha256(content), content: Buffer.from(content).toString('base64') }],
    delivery: { method: 'window' }, consent: { dataSharing: true, at: '2026-11-28T08:59:00+08:00' },
  } });
  expect(res.status).toBe(202);
  return ((await res.json()) as { caseRef: string }).caseRef;
}

/** The intake case as gaoxin's intake flow would leave it after the transfer (that flow is built elsewhere). */
async function insertIntakeCase(caseRef: string, remoteRef: string | null, status: 'received' | 'intake') {
  const detail = { status, delivery: 'window', received: status === 'received', accepted: false, supplementRequested: false };
  await dbs.gaoxin.database.db.execute(sql`insert into cases (ref, role, intake_member, handling_member, intake_case_id, item_code, mode, state, state_detail, remote_ref,
    applicant_kind, applicant_name, applicant_id_type, applicant_id_sealed, applicant_id_masked, intake, delivery, consent, materials_digest, created_at, updated_at)
    values (${caseRef}, 'intake', 'gaoxin', 'xihaike', ${`GX-${caseRef}`}, 'KS-GJJ-003', 'proxy_intake', ${status}, ${JSON.stringify(detail)}::jsonb, ${remoteRef},
    'person', '李四', 'resident_id', 'v1.x.y', '370211********1234', ${JSON.stringify({ member: 'gaoxin', window: 'kuayu-1' })}::jsonb, '{"method":"window"}'::jsonb, '{}'::jsonb, 'd', now(), now())`);
}

beforeAll(async () => {
  alliance = await createTestAlliance(Object.entries(ENDPOINTS).map(([id, endpoint]) => ({ id, endpoint })));
  alliance.members.get('xihaike')!.items = [{ code: 'KS-GJJ-003', modes: ['proxy_intake'] }];
  const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
  const fetch = inProcessFetch(routes);
  for (const id of ['gaoxin', 'xihaike'] as const) {
    dbs[id] = await createTestDatabase();
    await seedDefaultCatalog(dbs[id].database.db);
    gw[id] = await startTestGateway({ alliance, memberId: id, database: dbs[id].database, clock: systemClock, registry: () => registry, catalog: dbCatalogReader(dbs[id].database.db), fetch });
    routes[ENDPOINTS[id]] = gw[id];
  }
  ref = await transferToXihaike();
  await insertIntakeCase(GX_REF, ref, 'received');
  await insertIntakeCase(GX_UNSENT, null, 'intake');
  tokens = {
    handling: await clerk('xihaike', 'handling'), supervisor: await clerk('xihaike', 'supervisor'),
    intake: await clerk('gaoxin', 'intake'), otherWindow: await clerk('gaoxin', 'intake', 'kuayu-2'), gxHandling: await clerk('gaoxin', 'handling'),
  };
});

afterAll(async () => { await Promise.all(Object.values(dbs).map((d) => d.drop())); });

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function api(member: Member, token: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await gw[member].app.request(ENDPOINTS[member] + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const post = (member: Member, token: string, caseRef: string, body: unknown) => api(member, token, 'POST', `/api/v1/cases/${caseRef}/events`, body);
const timeline = (member: Member, token: string, caseRef: string) => api(member, token, 'GET', `/api/v1/cases/${caseRef}/timeline`);

describe('POST /api/v1/cases/{ref}/events: clerks move cases, the events cross the federation', () => {
  it("a handling clerk accepts; the outbox carries the event and the intake member's case follows", async () => {
    const r = await post('xihaike', tokens.handling, ref, { type: 'accepted', note: '材料齐全' });
    expect(r).toMatchObject({ status: 200, json: { eventId: expect.stringMatching(/^ev_/), status: 'accepted', messageId: expect.stringMatching(/^ob_/) } });
    expect(await gw.xihaike.outbox.runOnce()).toEqual(['delivered']);
    const gx = await timeline('gaoxin', tokens.intake, GX_REF);
    expect(gx).toMatchObject({ status: 200, json: { caseRef: GX_REF, role: 'intake', status: 'accepted', timeline: [{ eventId: r.json.eventId, type: 'accepted', side: 'handling', sender: 'xihaike', status: 'accepted', note: '材料齐全' }] } });
    const xh = (await timeline('xihaike', tokens.supervisor, ref)).json;
    expect(xh).toMatchObject({ status: 'accepted', timeline: [{ eventId: r.json.eventId, side: 'handling', sender: 'xihaike', actor: expect.stringMatching(/^clerk:ck_/) }] });
    expect((gx.json.timeline as { actor?: string }[])[0]!.actor).toBe('member:xihaike');
    // Each side lists the signed messages of the case from its evidence log: the event sent, and its signed answer.
    expect((xh.evidence as { kind: string; peer: string; path: string }[]).filter((e) => e.path.endsWith('/events')).map((e) => [e.kind, e.peer])).toEqual([['request_sent', 'gaoxin'], ['response_received', 'gaoxin']]);
    // The receiver's request record is written before the handler knows the case; the signed answer names it
    // (under gaoxin's own ref), and `handshake audit export` pairs the two by the answer's rqj.
    expect((gx.json.evidence as { kind: string; peer: string }[]).map((e) => [e.kind, e.peer])).toEqual([['response_sent', 'xihaike']]);
  });

  it('supplements: requested by the handling clerk, provided by the intake clerk, the handling case moves on', async () => {
    const request = { type: 'supplement_requested', data: { items: [{ name: '婚姻证明', reason: '缺失' }], deadline: '2026-12-05T17:00:00+08:00' } };
    expect(await post('xihaike', tokens.handling, ref, request)).toMatchObject({ status: 200, json: { status: 'supplement_requested' } });
    expect(await gw.xihaike.outbox.runOnce()).toEqual(['delivered']);
    expect((await timeline('gaoxin', tokens.intake, GX_REF)).json).toMatchObject({ status: 'supplement_requested' });

    const content = utf8('结婚证');
    const material = { requirement: 'marriage-cert', name: '婚姻证明', mediaType: 'image/jpeg', size: content.length, sha256: sha256(content), content: Buffer.from(content).toString('base64') };
    const bad = await post('gaoxin', tokens.intake, GX_REF, { type: 'supplement_provided', data: { materials: [{ ...material, sha256: '0'.repeat(64) }] } });
    expect(bad).toMatchObject({ status: 400, json: { code: 'invalid_request', errors: [{ path: 'data.materials[0].sha256' }] } });
    const r = await post('gaoxin', tokens.intake, GX_REF, { type: 'supplement_provided', data: { materials: [material] } });
    expect(r).toMatchObject({ status: 200, json: { status: 'under_review' } });
    expect(await gw.gaoxin.outbox.runOnce()).toEqual(['delivered']);
    const xh = await timeline('xihaike', tokens.handling, ref);
    expect(xh.json).toMatchObject({ status: 'under_review' });
    expect((xh.json.timeline as object[]).at(-1)).toMatchObject({ eventId: r.json.eventId, type: 'supplement_provided', side: 'intake', sender: 'gaoxin', data: { materials: [{ name: '婚姻证明', sha256: material.sha256 }] } });
    expect(JSON.stringify(xh.json)).not.toContain(material.content);
  });

  it('a second request for supplements is 409 invalid_transition, and nothing is queued', async () => {
    const r = await post('xihaike', tokens.handling, ref, { type: 'supplement_requested', data: { items: [{ name: '户口簿' }], deadline: '2026-12-09T17:00:00+08:00' } });
    expect(r).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    expect(await gw.xihaike.outbox.runOnce()).toEqual([]);
  });

  it('decided approved reaches the intake member: the worker is woken once the request has committed, not at its next poll', async () => {
    const worker = startOutboxWorker(gw.xihaike.outbox, { logger: silentLogger, pollMs: 600_000 });
    await new Promise((r) => setTimeout(r, 50));
    try {
      expect(await post('xihaike', tokens.handling, ref, { type: 'decided', data: { outcome: 'approved', documentNo: '鲁审批〔2026〕12号' } })).toMatchObject({ status: 200, json: { status: 'decided' } });
      const deadline = Date.now() + 10_000;
      while ((await timeline('gaoxin', tokens.intake, GX_REF)).json.status !== 'decided' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await worker.stop();
    }
    const gx = await timeline('gaoxin', tokens.intake, GX_REF);
    expect(gx.json.status).toBe('decided');
    expect((gx.json.timeline as { type: string }[]).map((e) => e.type)).toEqual(['accepted', 'supplement_requested', 'supplement_provided', 'decided']);
  });
});

describe('who may post', () => {
  it("an event the clerk's side does not send is 403 not_authorized", async () => {
    expect(await post('gaoxin', tokens.intake, GX_REF, { type: 'accepted' })).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
  });

  it("a clerk of the case's other role is 403; a supervisor may read but not write", async () => {
    expect(await post('gaoxin', tokens.gxHandling, GX_REF, { type: 'delivered' })).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
    expect(await post('xihaike', tokens.supervisor, ref, { type: 'result_issued' })).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
    expect((await timeline('xihaike', tokens.supervisor, ref)).status).toBe(200);
  });

  it('a case of another window, another member or none at all is 404', async () => {
    expect(await post('gaoxin', tokens.otherWindow, GX_REF, { type: 'delivered' })).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect((await timeline('gaoxin', tokens.otherWindow, GX_REF)).status).toBe(404);
    // xihaike's ref names nothing at gaoxin, where the case has its own ref.
    expect((await post('gaoxin', tokens.intake, ref, { type: 'delivered' })).status).toBe(404);
    expect((await timeline('xihaike', tokens.handling, 'cs_AAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('an intake case not yet transferred has no one to tell: 409', async () => {
    expect(await post('gaoxin', tokens.intake, GX_UNSENT, { type: 'withdrawn' })).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
  });

  it('needs a token', async () => {
    const res = await gw.xihaike.app.request(`${ENDPOINTS.xihaike}/api/v1/cases/${ref}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"closed"}' });
    expect(res.status).toBe(401);
  });
});

describe('bad input', () => {
  it('a body off the schema is 400 invalid_request naming each field', async () => {
    const r = await post('xihaike', tokens.handling, ref, { type: 'shipped', eventId: 'mine', data: { carrier: '' } });
    expect(r).toMatchObject({ status: 400, json: { code: 'invalid_request' } });
    expect((r.json.errors as { path: string }[]).map((e) => e.path)).toEqual(expect.arrayContaining(['data.carrier', 'data.trackingNo']));
    expect((await post('xihaike', tokens.handling, ref, { type: 'approved' })).status).toBe(400);
    expect((await post('xihaike', tokens.handling, 'not-a-ref', { type: 'closed' })).json).toMatchObject({ code: 'invalid_request', errors: [{ path: 'ref' }] });
  });

  it('the OpenAPI document lists both operations', async () => {
    const res = await gw.xihaike.app.request(`${ENDPOINTS.xihaike}/api/v1/openapi.json`);
    const doc = (await res.json()) as { paths: Record<string, Record<string, { operationId: string; security?: object[] }>>; components: { schemas: Record<string, unknown> } };
    expect(doc.paths['/api/v1/cases/{ref}/events']?.post).toMatchObject({ operationId: 'postCaseEvent', security: [{ clerkToken: [] }] });
    expect(doc.paths['/api/v1/cases/{ref}/timeline']?.get).toMatchObject({ operationId: 'getCaseTimeline', security: [{ clerkToken: [] }] });
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(expect.arrayContaining(['ClerkCaseEvent', 'ClerkEventAnswer', 'CaseTimeline']));
    for (const name of refs) expect(doc.components.schemas).toHaveProperty(name);
  });
});
