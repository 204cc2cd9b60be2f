import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { seedDefaultCatalog } from '../../src/entry/node/catalog';
import { signRequest } from '../../src/federation/envelope/sign';
import { verifyResponse } from '../../src/federation/envelope/verify';
import { loadSigner } from '../../src/federation/keys';
import { rowsOf } from '../../src/federation/replay-guard';
import { seconds, systemClock } from '../../src/lib/clock';
import { utf8 } from '../../src/lib/encoding';
import { randomIds } from '../../src/lib/ids';
import { createSealer } from '../../src/lib/sealed';
import type { Gateway } from '../../src/gateway';
import { dbCatalogReader } from '../../src/services/catalog/catalog-in-force';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';

const BASE = 'https://xihaike.example.test';
const PATH = '/federation/v1/cases';
const ID_NUMBER = '370211199001011234';
const dataKey = crypto.getRandomValues(new Uint8Array(32));
let alliance: TestAlliance;
let tdb: TestDatabase;
let gw: Gateway;

beforeAll(async () => {
  alliance = await createTestAlliance([{ id: 'gaoxin', endpoint: 'https://gaoxin.example.test' }, { id: 'xihaike', endpoint: BASE }, { id: 'chengdu-gx', endpoint: 'https://chengdu.example.test' }]);
  alliance.members.get('xihaike')!.items = [{ code: 'KS-GJJ-003', modes: ['proxy_intake', 'online'] }, { code: 'KS-GJJ-005', modes: ['online'] }];
  const token = await alliance.sign(1, Math.floor(Date.now() / 1000));
  tdb = await createTestDatabase();
  await seedDefaultCatalog(tdb.database.db);
  gw = await startTestGateway({ alliance, memberId: 'xihaike', database: tdb.database, clock: systemClock, registry: () => token, catalog: dbCatalogReader(tdb.database.db), dataKey });
});

afterAll(async () => { await tdb?.drop(); });

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const pdf = utf8('%PDF-1.4 购房合同 …');
const idCard = new Uint8Array(4096).fill(9);

function transfer(over: Record<string, unknown> = {}) {
  return {
    caseId: `370211-KS-GJJ-003-20261128-${Math.random().toString(36).slice(2, 8)}`, itemCode: 'KS-GJJ-003', mode: 'proxy_intake',
    applicant: { kind: 'person', name: '张三', idType: 'resident_id', idNumber: ID_NUMBER, phone: '13812345678' },
    intake: { member: 'gaoxin', window: 'kuayu-1', clerk: 'clerk-7', receivedAt: '2026-11-28T09:30:00+08:00', identityCheck: { method: 'id_card_reader', result: 'passed' } },
    materials: [
      { requirement: 'id-card', name: '居民身份证', mediaType: 'image/jpeg', size: idCard.length, sha256: sha(idCard), content: Buffer.from(idCard).toString('base64') },
      { requirement: 'purchase-contract', name: '购房合同', mediaType: 'application/pdf', size: pdf.length, sha256: sha(pdf), content: Buffer.from(pdf).toString('base64') },
    ],
    delivery: { method: 'post', address: '山东省青岛市黄岛区长江中路 1 号' },
    consent: { dataSharing: true, at: '2026-11-28T09:29:00+08:00' },
    ...over,
  };
}

async function send(body: unknown, opts: { from?: string; key?: string | null; contentType?: string } = {}) {
  const from = opts.from ?? 'gaoxin';
  const bytes = utf8(typeof body === 'string' ? body : JSON.stringify(body));
  const signer = await loadSigner(alliance.members.get(from)!.privateJwk);
  const { token, claims } = await signRequest(signer, { iss: from, aud: 'xihaike', method: 'POST', url: BASE + PATH, body: bytes }, systemClock, randomIds);
  const headers: Record<string, string> = { 'handshake-request': token, 'content-type': opts.contentType ?? 'application/json; charset=utf-8' };
  if (opts.key !== null) headers['idempotency-key'] = opts.key ?? crypto.randomUUID();
  const res = await gw.app.request(BASE + PATH, { method: 'POST', headers, body: bytes as Uint8Array<ArrayBuffer> });
  const text = await res.text();
  return { res, text, json: JSON.parse(text) as Record<string, unknown>, jti: claims.jti };
}

describe('POST /federation/v1/cases (§7.1)', () => {
  it('takes a proxy-intake transfer: 202 with a signed receipt, the case kept with the ID number sealed', async () => {
    const body = transfer();
    const { res, json, text, jti } = await send(body);
    expect(res.status).toBe(202);
    const expectedDigest = sha(utf8(body.materials.map((m) => m.sha256).join('\n')));
    expect(json).toMatchObject({ receiptId: expect.stringMatching(/^rc_/), caseRef: expect.stringMatching(/^cs_/), materialsDigest: expectedDigest, status: 'received' });
    const receipt = await verifyResponse({ token: res.headers.get('handshake-response'), status: 202, body: utf8(text), requestJti: jti },
      { registry: gw.registry.current(), selfId: 'gaoxin', nowSec: seconds(systemClock) }).catch(() => null);
    // The receipt is addressed to gaoxin: verify it as gaoxin would.
    expect(receipt?.claims).toMatchObject({ iss: 'xihaike', aud: 'gaoxin', hts: 202, rqj: jti });
    const [row] = rowsOf<Record<string, unknown>>(await tdb.database.db.execute(sql`select * from cases where ref = ${json.caseRef as string}`));
    expect(row).toMatchObject({ role: 'handling', intake_member: 'gaoxin', handling_member: 'xihaike', item_code: 'KS-GJJ-003', state: 'received', applicant_id_masked: '370211********1234' });
    expect(JSON.stringify(row)).not.toContain(ID_NUMBER);
    expect(JSON.stringify(row)).not.toContain('13812345678');
    expect(await (await createSealer(dataKey)).open(row!.applicant_id_sealed as string)).toBe(ID_NUMBER);
    const evidence = rowsOf<{ kind: string; peer: string; token: string }>(await tdb.database.db.execute(sql`select kind, peer, token from evidence_records where case_ref = ${json.caseRef as string}`));
    expect(evidence).toEqual([{ kind: 'response_sent', peer: 'gaoxin', token: res.headers.get('handshake-response') }]);
    const materials = rowsOf<{ sha256: string; size: number }>(await tdb.database.db.execute(sql`select sha256, size from case_materials where case_ref = ${json.caseRef as string} order by position`));
    expect(materials).toEqual([{ sha256: sha(idCard), size: 4096 }, { sha256: sha(pdf), size: pdf.length }]);
  });

  it('a repeat with the same Idempotency-Key gets the same receipt; the same case under a new key is 409', async () => {
    const body = transfer();
    const first = await send(body, { key: 'transfer-1' });
    const again = await send(body, { key: 'transfer-1' });
    expect(again.res.status).toBe(202);
    expect(again.json).toEqual(first.json);
    const other = await send(body, { key: 'transfer-2' });
    expect(other.res.status).toBe(409);
    expect(other.json).toMatchObject({ code: 'invalid_transition' });
  });

  it('a receiver that kept the case but died before recording its answer gives the retry the same receipt', async () => {
    const body = transfer({ caseId: 'gaoxin-20261128-0777' });
    const first = await send(body, { key: 'transfer-crash' });
    expect(first.res.status).toBe(202);
    // The crash: the §5 claim is left without an answer, and is older than a live worker's.
    await tdb.database.db.execute(sql`update idempotency_keys set status = null, response_body = null, content_type = null, created_at = created_at - interval '6 minutes' where key = 'transfer-crash'`);
    const retry = await send(body, { key: 'transfer-crash' });
    expect(retry.res.status).toBe(202);
    expect(retry.json).toEqual(first.json);
    expect(rowsOf(await tdb.database.db.execute(sql`select ref from cases where intake_case_id = 'gaoxin-20261128-0777'`))).toHaveLength(1);
    // Another key for the same case is still a second transfer.
    expect((await send(body, { key: 'transfer-crash-2' })).res.status).toBe(409);
  });

  it('needs an Idempotency-Key', async () => {
    const { res, json } = await send(transfer(), { key: null });
    expect(res.status).toBe(400);
    expect(json).toMatchObject({ code: 'invalid_request', errors: [{ path: 'header.Idempotency-Key' }] });
  });

  it('names every bad field of a malformed body', async () => {
    const { res, json } = await send(transfer({ mode: 'fax', consent: { dataSharing: false, at: 'yesterday' }, applicant: { kind: 'person', name: '', idType: 'resident_id', idNumber: ID_NUMBER } }));
    expect(res.status).toBe(400);
    const paths = (json.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['mode', 'consent.dataSharing', 'consent.at', 'applicant.name']));
  });

  it('an unknown item code, and materials that do not match their sha256 or size, are 400 naming them', async () => {
    expect((await send(transfer({ itemCode: 'KS-NONE-001' }))).json).toMatchObject({ code: 'invalid_request', errors: [{ path: 'itemCode' }] });
    const body = transfer();
    body.materials[1]!.sha256 = sha(utf8('another file'));
    body.materials[0]!.size = 1;
    const { res, json } = await send(body);
    expect(res.status).toBe(400);
    expect((json.errors as { path: string }[]).map((e) => e.path)).toEqual(['materials[0].size', 'materials[1].sha256']);
  });

  it('is 403 for an item or mode the registry does not list for this member, and for a sender that is not the intake member', async () => {
    expect((await send(transfer({ itemCode: 'KS-GJJ-001' }))).res.status).toBe(403);
    expect((await send(transfer({ itemCode: 'KS-GJJ-005', mode: 'proxy_intake' }))).json).toMatchObject({ code: 'not_authorized' });
    const fromChengdu = await send(transfer(), { from: 'chengdu-gx' });
    expect(fromChengdu.res.status).toBe(403);
    expect(fromChengdu.res.headers.has('handshake-response')).toBe(true);
  });

  it('refuses a material over 10 MiB with 413, and a non-JSON body with 415', async () => {
    const big = transfer();
    big.materials[0]!.content = 'A'.repeat(Math.ceil((10 * 1024 * 1024) / 3) * 4 + 4);
    expect((await send(big)).res.status).toBe(413);
    expect((await send('caseId=1', { contentType: 'application/x-www-form-urlencoded' })).res.status).toBe(415);
  });
});
