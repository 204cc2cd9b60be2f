import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { cases } from '../../src/db/schema/index';
import { seedDefaultCatalog } from '../../src/entry/node/catalog';
import type { Gateway } from '../../src/gateway';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { dbCatalogReader } from '../../src/services/catalog/catalog-in-force';
import { addClerk } from '../../src/services/clerks/add-clerk';
import type { ClerkRole } from '../../src/services/clerks/schema';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { inProcessFetch, startTestGateway } from '../support/gateway';

const ENDPOINTS = { gaoxin: 'https://gaoxin.example.test', xihaike: 'https://xihaike.example.test' } as const;
const ID_NUMBER = '370211199202021234';
const PHONE = '13912345678';
const WINDOWS = [{ id: 'kuayu-1', name: '跨域通办专窗 1号' }, { id: 'kuayu-2', name: '跨域通办专窗 2号' }];
const REQUIRED = ['id-card', 'purchase-contract', 'invoice', 'marriage-certificate', 'bank-card'];

let alliance: TestAlliance;
let tdb: TestDatabase;
const gw = {} as Record<keyof typeof ENDPOINTS, Gateway>;
const tokens = {} as Record<'intake' | 'otherWindow' | 'supervisor' | 'handling', string>;
/** Every answer body the API gave, to check that the ID number never left in clear. */
const answers: string[] = [];

async function clerk(role: ClerkRole, window: string) {
  const { token } = await addClerk({ ctx: { db: tdb.database.db, clock: systemClock, ids: randomIds }, input: { name: `${role}@${window}`, window, role, windows: WINDOWS } });
  return token;
}

beforeAll(async () => {
  alliance = await createTestAlliance(Object.entries(ENDPOINTS).map(([id, endpoint]) => ({ id, endpoint })));
  alliance.members.get('xihaike')!.items = [{ code: 'KS-GJJ-003', modes: ['proxy_intake'] }];
  const token = await alliance.sign(1, Math.floor(Date.now() / 1000));
  tdb = await createTestDatabase();
  await seedDefaultCatalog(tdb.database.db);
  const fetch = inProcessFetch({ [ENDPOINTS.gaoxin]: { app: { fetch: (r) => gw.gaoxin.app.fetch(r) } }, [ENDPOINTS.xihaike]: { app: { fetch: (r) => gw.xihaike.app.fetch(r) } } });
  for (const id of ['gaoxin', 'xihaike'] as const) {
    gw[id] = await startTestGateway({ alliance, memberId: id, database: tdb.database, clock: systemClock, registry: () => token, catalog: dbCatalogReader(tdb.database.db), fetch });
  }
  tokens.intake = await clerk('intake', 'kuayu-1');
  tokens.otherWindow = await clerk('intake', 'kuayu-2');
  tokens.supervisor = await clerk('supervisor', 'kuayu-2');
  tokens.handling = await clerk('handling', 'kuayu-1');
});

afterAll(async () => { await tdb?.drop(); });

async function api(method: 'GET' | 'POST', path: string, body?: unknown, token = tokens.intake) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await gw.gaoxin.app.request(ENDPOINTS.gaoxin + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  answers.push(text);
  return { status: res.status, json: JSON.parse(text) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const newCase = (over: Record<string, unknown> = {}) => ({
  itemCode: 'KS-GJJ-003', mode: 'proxy_intake',
  applicant: { kind: 'person', name: '李四', idType: 'resident_id', idNumber: ID_NUMBER, phone: PHONE },
  identityCheck: { method: 'id_card_reader', result: 'passed' },
  delivery: { method: 'window' }, consent: { dataSharing: true, at: '2026-11-28T08:59:00+08:00' },
  ...over,
});

const material = (requirement: string, text = `${requirement} 扫描件`) => ({
  requirement, name: requirement, mediaType: 'application/pdf', content: Buffer.from(`%PDF ${text}`).toString('base64'),
});

describe('intake: take in, gather materials, transfer (§7.1)', () => {
  let ref: string;

  it('takes in a case: state intake, a case number of the member and day, the ID number masked', async () => {
    const r = await api('POST', '/api/v1/cases', newCase());
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ state: 'intake', itemCode: 'KS-GJJ-003', mode: 'proxy_intake', applicantIdMasked: '370211********1234', window: 'kuayu-1', handlingMember: null, materials: [] });
    expect(r.json.caseId).toMatch(/^gaoxin-\d{8}-0001$/);
    ref = r.json.ref as string;
    const second = await api('POST', '/api/v1/cases', newCase({ delivery: { method: 'electronic' } }));
    expect(second.json.caseId).toMatch(/^gaoxin-\d{8}-0002$/);
  });

  it('refuses bad input with every field named: an unknown item, a mode the item lacks, a bad body', async () => {
    const unknown = await api('POST', '/api/v1/cases', newCase({ itemCode: 'KS-NOPE-999' }));
    expect(unknown).toMatchObject({ status: 400, json: { code: 'invalid_request', errors: [{ path: 'itemCode' }] } });
    const joint = await api('POST', '/api/v1/cases', newCase({ mode: 'joint' }));
    expect(joint.status).toBe(400);
    expect((joint.json.errors as { path: string }[]).map((e) => e.path)).toContain('mode');
    const bad = await api('POST', '/api/v1/cases', newCase({ consent: { dataSharing: false }, delivery: { method: 'post' } }));
    expect(bad.status).toBe(400);
    expect((bad.json.errors as { path: string }[]).map((e) => e.path)).toEqual(expect.arrayContaining(['consent.dataSharing', 'consent.at', 'delivery.address']));
    expect((await api('POST', `/api/v1/cases/${ref}/materials`, { ...material('id-card'), mediaType: 'text/html' })).json).toMatchObject({ code: 'invalid_request', errors: [{ path: 'mediaType' }] });
    expect((await api('POST', `/api/v1/cases/${ref}/materials`, material('no-such-thing'))).json).toMatchObject({ code: 'invalid_request', errors: [{ path: 'requirement' }] });
  });

  it('keeps materials with their sha256 and lists, once, everything still missing (一次性告知)', async () => {
    const up = await api('POST', `/api/v1/cases/${ref}/materials`, material('id-card'));
    expect(up.status).toBe(201);
    expect(up.json).toEqual({ position: 0, requirement: 'id-card', name: 'id-card', mediaType: 'application/pdf', size: 22, sha256: createHash('sha256').update('%PDF id-card 扫描件').digest('hex') });
    const c = await api('GET', `/api/v1/cases/${ref}/completeness`);
    expect(c.status).toBe(200);
    expect(c.json.complete).toBe(false);
    expect((c.json.missing as { id: string }[]).map((m) => m.id)).toEqual(REQUIRED.slice(1));
    expect(c.json.ifApplicable).toEqual([
      expect.objectContaining({ id: 'power-of-attorney', requirement: 'conditional', condition: '委托他人代办时' }),
      expect.objectContaining({ id: 'agent-id-card', requirement: 'conditional' }),
    ]);
    expect(c.json.notice).toMatch(/^一次性告知：/);
    expect(c.json.notice).toContain('购房发票');
  });

  it('refuses to transfer an incomplete case, naming what it lacks', async () => {
    const r = await api('POST', `/api/v1/cases/${ref}/transfer`);
    expect(r).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    expect((r.json.errors as { path: string }[]).map((e) => e.path)).toEqual(REQUIRED.slice(1).map((id) => `materials.${id}`));
    expect((await api('GET', `/api/v1/cases/${ref}`)).json.state).toBe('intake');
  });

  it('transfers a complete case through the outbox; the receipt lands on the intake case', async () => {
    for (const id of REQUIRED.slice(1)) expect((await api('POST', `/api/v1/cases/${ref}/materials`, material(id))).status).toBe(201);
    expect((await api('GET', `/api/v1/cases/${ref}/completeness`)).json).toMatchObject({ complete: true, missing: [] });
    const t = await api('POST', `/api/v1/cases/${ref}/transfer`);
    expect(t).toMatchObject({ status: 202, json: { ref, state: 'transferring', to: 'xihaike' } });
    expect((await api('POST', `/api/v1/cases/${ref}/transfer`)).json).toMatchObject({ code: 'invalid_transition' });
    expect((await api('POST', `/api/v1/cases/${ref}/materials`, material('invoice'))).json).toMatchObject({ code: 'invalid_transition' });

    expect(await gw.gaoxin.outbox.runOnce()).toEqual(['delivered']);
    const [message] = await gw.gaoxin.outbox.listOutbox({});
    expect(message).toMatchObject({ id: t.json.messageId, kind: 'case_transfer', status: 'delivered', targetMember: 'xihaike' });

    const db = tdb.database.db;
    const [handling] = await db.select().from(cases).where(and(eq(cases.role, 'handling'), eq(cases.intakeMember, 'gaoxin')));
    expect(handling).toMatchObject({ handlingMember: 'xihaike', itemCode: 'KS-GJJ-003', state: 'received' });
    const view = await api('GET', `/api/v1/cases/${ref}`);
    expect(view.json).toMatchObject({ state: 'received', handlingMember: 'xihaike', remoteRef: handling!.ref, receiptId: handling!.receiptId });
    expect(handling!.intakeCaseId).toBe(view.json.caseId);
    expect(view.json.materials).toHaveLength(REQUIRED.length);
  });

  it('shows a case only to its window (404 elsewhere, never 403); a supervisor sees the member\'s cases', async () => {
    expect((await api('GET', `/api/v1/cases/${ref}`, undefined, tokens.otherWindow))).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect((await api('GET', `/api/v1/cases/${ref}/completeness`, undefined, tokens.otherWindow)).status).toBe(404);
    expect((await api('POST', `/api/v1/cases/${ref}/materials`, material('invoice'), tokens.otherWindow)).status).toBe(404);
    expect((await api('GET', '/api/v1/cases', undefined, tokens.otherWindow)).json).toEqual([]);
    expect((await api('GET', `/api/v1/cases/${ref}`, undefined, tokens.supervisor)).status).toBe(200);
    expect((await api('GET', '/api/v1/cases', undefined, tokens.supervisor)).json).toHaveLength(2);
    expect((await api('GET', '/api/v1/cases')).json).toHaveLength(2);
    expect((await api('POST', '/api/v1/cases', newCase(), tokens.handling)).json).toMatchObject({ code: 'not_authorized' });
    expect((await api('POST', '/api/v1/cases', newCase(), 'hsk_nope')).status).toBe(401);
  });

  it('never shows the ID number or phone in clear, in answers or in the intake row', async () => {
    for (const text of answers) {
      expect(text).not.toContain(ID_NUMBER);
      expect(text).not.toContain(PHONE);
    }
    const rows = await tdb.database.db.select().from(cases).where(eq(cases.role, 'intake'));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toContain(ID_NUMBER);
      expect(JSON.stringify(row)).not.toContain(PHONE);
      expect(await gw.gaoxin.deps.sealer.open(row.applicantIdSealed)).toBe(ID_NUMBER);
    }
  });
});

describe('case numbers under concurrency', () => {
  it('numbers cases taken in at once by several windows without a gap, a repeat or a failure', async () => {
    const before = await api('POST', '/api/v1/cases', newCase());
    const first = Number(String(before.json.caseId).slice(-4)) + 1;
    const answers = await Promise.all(Array.from({ length: 12 }, () => api('POST', '/api/v1/cases', newCase())));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    const seqs = answers.map((a) => Number(String(a.json.caseId).slice(-4))).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + first));
  });
});
