import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/entry/node/database';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { addClerk } from '../../src/services/clerks/add-clerk';
import type { ClerkRole } from '../../src/services/clerks/schema';
import { createTestAlliance, writeAllianceFiles } from '../support/alliance';
import { freePort } from '../support/http';
import { createProcessDatabase, dropDatabases } from '../support/db';
import { ROOT, startGatewayProcess, type GatewayProcess } from '../support/process';

// Three gateway processes on loopback, each member with its own database, keys and configuration, as three
// provinces would run them. No member has a partner file here, so each handles its cases through its
// clerks: everything below goes through the clerk API over HTTP, and the events cross the federation.

const MEMBERS = ['gaoxin', 'xihaike', 'chengdu-gx'] as const;
type Member = (typeof MEMBERS)[number];
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Mode = 'online' | 'proxy_intake' | 'joint';

const admin = process.env.DATABASE_URL;
const procs: Partial<Record<Member, GatewayProcess>> = {};
const urls = {} as Record<Member, string>;
const tokens = {} as Record<`${Member}:${ClerkRole}`, string>;
const databases: string[] = [];
/** A case's whole path, with room for a loaded machine: every wait inside is on a condition. */
const CASE_TIMEOUT = 180_000;
let tempDir: string | undefined;

/** What a member handles by its shipped partner file: its registry `items[]`. */
function handledBy(member: string): { code: string; modes: Mode[] }[] {
  const file = JSON.parse(readFileSync(join(ROOT, 'partners', `${member}.json`), 'utf8')) as { agreements: { item: string; modes: Mode[]; direction: string }[] };
  return file.agreements.filter((a) => a.direction !== 'intake').map((a) => ({ code: a.item, modes: a.modes }));
}

/** A fresh PostgreSQL database when DATABASE_URL is set; else the member's own PGlite files under its data dir. */
async function databaseFor(id: Member, dataDir: string): Promise<{ env: Record<string, string>; url: string | null; pgliteDir: string }> {
  const pgliteDir = join(dataDir, 'db');
  if (!admin) return { env: {}, url: null, pgliteDir };
  const { name, url } = await createProcessDatabase(admin, `hs_e2e_three_${id.replace('-', '_')}`);
  databases.push(name);
  return { env: { DATABASE_URL: url }, url, pgliteDir };
}

/** One clerk per role, made on the member's database before its gateway opens it (PGlite serves one process). */
async function addClerks(id: Member, db: { url: string | null; pgliteDir: string }) {
  const database = await openDatabase({ databaseUrl: db.url, pgliteDir: db.pgliteDir, maxConnections: 2 });
  try {
    for (const role of ['intake', 'handling', 'supervisor'] as const) {
      const { token } = await addClerk({ ctx: { db: database.db, clock: systemClock, ids: randomIds }, input: { name: `${id} ${role}`, window: 'kuayu-1', role, windows: null } });
      tokens[`${id}:${role}`] = token;
    }
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  for (const id of MEMBERS) urls[id] = `http://127.0.0.1:${await freePort()}`;
  const alliance = await createTestAlliance(MEMBERS.map((id) => ({ id, endpoint: urls[id] })));
  for (const id of MEMBERS) alliance.members.get(id)!.items = handledBy(id);
  // 户口迁移（工作调动） is joint handling: chengdu-gx issues the 准迁证, xihaike completes the move.
  alliance.members.get('chengdu-gx')!.items!.push({ code: 'KS-HJ-002', modes: ['joint'] });
  const files = writeAllianceFiles(alliance, await alliance.sign(1, Math.floor(Date.now() / 1000)));
  tempDir = files.dir;
  const partnersDir = join(files.dir, 'partners');
  mkdirSync(partnersDir);
  await Promise.all(MEMBERS.map(async (id) => {
    const dataDir = join(files.dir, id);
    const db = await databaseFor(id, dataDir);
    await addClerks(id, db);
    procs[id] = await startGatewayProcess({
      HANDSHAKE_MEMBER_ID: id, HANDSHAKE_PUBLIC_URL: urls[id], HANDSHAKE_SIGNING_KEY: files.keyFile(id),
      HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: files.registry, HANDSHAKE_PARTNERS_DIR: partnersDir,
      HANDSHAKE_DATA_DIR: dataDir, HANDSHAKE_DATA_KEY: randomBytes(32).toString('hex'),
      HANDSHAKE_OUTBOX_BASE_MS: '100', HANDSHAKE_OUTBOX_CAP_MS: '1000', HANDSHAKE_OUTBOX_COOLDOWN_MS: '1000', ...db.env,
    }, Number(new URL(urls[id]).port), 120_000);
  }));
}, 240_000);

afterAll(async () => {
  await Promise.all(Object.values(procs).map((p) => p.stop()));
  if (admin) await dropDatabases(admin, databases);
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}, 60_000);

async function api(member: Member, role: ClerkRole, method: 'GET' | 'POST', path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${tokens[`${member}:${role}`]}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(urls[member] + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Json };
}

/** Polls until `check` holds (a bounded wait on a condition, never on time alone). */
async function until<T>(what: string, read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; last seen: ${JSON.stringify(v).slice(0, 600)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const intakeCase = (ref: string) => api('gaoxin', 'intake', 'GET', `/api/v1/cases/${ref}`).then((r) => r.json);
const timeline = (member: Member, role: ClerkRole, ref: string) => api(member, role, 'GET', `/api/v1/cases/${ref}/timeline`).then((r) => r.json);
/** gaoxin's case reaches `state`. */
const intakeReaches = (ref: string, state: string) => until(`gaoxin's case ${ref} is ${state}`, () => intakeCase(ref), (c) => c.state === state);
/** The handling member's case reaches `status` (its timeline answer carries the status). */
const handlingReaches = (member: Member, ref: string, status: string) => until(`${member}'s case ${ref} is ${status}`, () => timeline(member, 'handling', ref), (t) => t.status === status);

/** A clerk of `member` posts a §7.2 event on its case; the answer names the new status. */
async function post(member: Member, role: ClerkRole, ref: string, event: Json, status: string) {
  const r = await api(member, role, 'POST', `/api/v1/cases/${ref}/events`, event);
  expect(r, `${event.type} at ${member}`).toMatchObject({ status: 200, json: { status } });
  return r.json;
}

const applicant = { kind: 'person', name: '李四', idType: 'resident_id', idNumber: '370211199202021234', phone: '13912345678' };

/** Takes a case in at gaoxin, uploads every material it still lacks (as completeness lists them) and transfers it. */
async function takeInAndTransfer(itemCode: string, mode: Mode, delivery: Json, steps?: Json[]) {
  const created = await api('gaoxin', 'intake', 'POST', '/api/v1/cases', {
    itemCode, mode, applicant, identityCheck: { method: 'id_card_reader', result: 'passed' }, delivery,
    consent: { dataSharing: true, at: '2026-11-28T08:59:00+08:00' }, ...(steps ? { steps } : {}),
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const ref = created.json.ref as string;
  const completeness = (await api('gaoxin', 'intake', 'GET', `/api/v1/cases/${ref}/completeness`)).json;
  for (const m of completeness.missing as { id: string; name: string }[]) {
    const up = await api('gaoxin', 'intake', 'POST', `/api/v1/cases/${ref}/materials`, { requirement: m.id, name: m.name, mediaType: 'application/pdf', content: Buffer.from(`%PDF ${m.name}`).toString('base64') });
    expect(up.status).toBe(201);
  }
  const t = await api('gaoxin', 'intake', 'POST', `/api/v1/cases/${ref}/transfer`);
  expect(t, JSON.stringify(t.json)).toMatchObject({ status: 202, json: { ref, state: 'transferring' } });
  return { ref, caseId: created.json.caseId as string, transfer: t.json };
}

/** A transferred single case: gaoxin holds the receipt; the handling member's ref is gaoxin's remoteRef. */
async function transferred(itemCode: string, mode: Mode, delivery: Json, to: Member = 'xihaike') {
  const { ref, transfer } = await takeInAndTransfer(itemCode, mode, delivery);
  expect(transfer.to).toBe(to);
  const c = await until(`gaoxin holds ${to}'s receipt`, () => intakeCase(ref), (v) => v.state === 'received' && !!v.remoteRef);
  expect(c).toMatchObject({ handlingMember: to, receiptId: expect.stringMatching(/^rc_/) });
  const remote = await timeline(to, 'handling', c.remoteRef as string);
  expect(remote).toMatchObject({ caseRef: c.remoteRef, role: 'handling', status: 'received' });
  return { ref, remoteRef: c.remoteRef as string };
}

/** Both sides list the same events, in the same order, with the same statuses. */
async function timelinesAgree(ref: string, remoteRef: string, handler: Member = 'xihaike') {
  const mine = (await timeline('gaoxin', 'intake', ref)).timeline as Json[];
  const theirs = (await timeline(handler, 'handling', remoteRef)).timeline as Json[];
  const strip = (t: Json[]) => t.map((e) => ({ eventId: e.eventId, type: e.type, side: e.side, sender: e.sender, status: e.status }));
  expect(strip(mine)).toEqual(strip(theirs));
  return mine;
}

describe('three gateway processes, each with its own database: cases cross the alliance through the clerk APIs', () => {
  it('(a) 异地代收代办: taken in at gaoxin, handled by xihaike, the result delivered at gaoxin\'s window, closed', async () => {
    const { ref, remoteRef } = await transferred('KS-GJJ-006', 'proxy_intake', { method: 'window' });
    const steps: [Member, ClerkRole, Json, string][] = [
      ['xihaike', 'handling', { type: 'accepted', note: '材料齐全' }, 'accepted'],
      ['xihaike', 'handling', { type: 'decided', data: { outcome: 'approved', documentNo: '青公积金证〔2026〕66号' } }, 'decided'],
      ['xihaike', 'handling', { type: 'result_issued' }, 'result_issued'],
      ['xihaike', 'handling', { type: 'shipped', data: { carrier: 'EMS', trackingNo: 'EA123456789CN' } }, 'shipped'],
      ['gaoxin', 'intake', { type: 'delivered', note: '申请人窗口领取' }, 'delivered'],
      ['xihaike', 'handling', { type: 'closed' }, 'archived'],
    ];
    for (const [member, role, event, status] of steps) {
      await post(member, role, member === 'gaoxin' ? ref : remoteRef, event, status);
      // The other side follows each step.
      if (member === 'gaoxin') await handlingReaches('xihaike', remoteRef, status);
      else await intakeReaches(ref, status);
    }
    const events = await timelinesAgree(ref, remoteRef);
    expect(events.map((e) => e.type)).toEqual(['accepted', 'decided', 'result_issued', 'shipped', 'delivered', 'closed']);
    expect(events.find((e) => e.type === 'shipped')).toMatchObject({ side: 'handling', sender: 'xihaike', data: { carrier: 'EMS', trackingNo: 'EA123456789CN' } });
    expect(events.find((e) => e.type === 'delivered')).toMatchObject({ side: 'intake', sender: 'gaoxin' });
    expect(await intakeCase(ref)).toMatchObject({ state: 'archived', handlingMember: 'xihaike', remoteRef });
  }, CASE_TIMEOUT);

  it('(b) 全程网办: an online case, its result delivered electronically by the handling member', async () => {
    const { ref, remoteRef } = await transferred('KS-GJJ-005', 'online', { method: 'electronic' });
    expect(await intakeCase(ref)).toMatchObject({ mode: 'online' });
    await post('xihaike', 'handling', remoteRef, { type: 'accepted' }, 'accepted');
    await post('xihaike', 'handling', remoteRef, { type: 'decided', data: { outcome: 'approved' } }, 'decided');
    await post('xihaike', 'handling', remoteRef, { type: 'result_issued' }, 'result_issued');
    // Nothing passes gaoxin's window: xihaike reports the delivery, and gaoxin may not.
    expect((await api('gaoxin', 'intake', 'POST', `/api/v1/cases/${ref}/events`, { type: 'delivered' })).json).toMatchObject({ code: 'not_authorized' });
    await post('xihaike', 'handling', remoteRef, { type: 'delivered', data: { channel: '电子证照' } }, 'delivered');
    await post('xihaike', 'handling', remoteRef, { type: 'closed' }, 'archived');
    await intakeReaches(ref, 'archived');
    expect((await timelinesAgree(ref, remoteRef)).map((e) => e.type)).toEqual(['accepted', 'decided', 'result_issued', 'delivered', 'closed']);
  }, CASE_TIMEOUT);

  it('(c) 补正: xihaike asks for supplements once, gaoxin\'s clerk provides a material, xihaike has it and accepts', async () => {
    const { ref, remoteRef } = await transferred('KS-GJJ-007', 'proxy_intake', { method: 'window' });
    const request = { items: [{ requirement: 'loan-contract', name: '借款合同', reason: '第3页不清晰' }], deadline: '2026-12-05T17:00:00+08:00' };
    await post('xihaike', 'handling', remoteRef, { type: 'supplement_requested', data: request }, 'supplement_requested');
    await intakeReaches(ref, 'supplement_requested');
    const asked = ((await timeline('gaoxin', 'intake', ref)).timeline as Json[]).at(-1);
    expect(asked).toMatchObject({ type: 'supplement_requested', data: request });

    const content = Buffer.from('%PDF 借款合同（清晰件）');
    const material = { requirement: 'loan-contract', name: '借款合同', mediaType: 'application/pdf', size: content.length, sha256: sha256(content), content: content.toString('base64') };
    await post('gaoxin', 'intake', ref, { type: 'supplement_provided', data: { materials: [material] } }, 'under_review');
    await handlingReaches('xihaike', remoteRef, 'under_review');
    const provided = ((await timeline('xihaike', 'handling', remoteRef)).timeline as Json[]).at(-1)!;
    expect(provided).toMatchObject({ type: 'supplement_provided', side: 'intake', sender: 'gaoxin', data: { materials: [{ requirement: 'loan-contract', name: '借款合同', size: content.length, sha256: material.sha256 }] } });
    expect(JSON.stringify(provided)).not.toContain(material.content);

    await post('xihaike', 'handling', remoteRef, { type: 'accepted' }, 'accepted');
    await intakeReaches(ref, 'accepted');
    expect((await timelinesAgree(ref, remoteRef)).map((e) => e.type)).toEqual(['supplement_requested', 'supplement_provided', 'accepted']);
  }, CASE_TIMEOUT);

  it('(d) 撤回: gaoxin\'s clerk withdraws the case before a decision; xihaike\'s case ends withdrawn', async () => {
    const { ref, remoteRef } = await transferred('KS-GJJ-006', 'proxy_intake', { method: 'window' });
    await post('xihaike', 'handling', remoteRef, { type: 'accepted' }, 'accepted');
    await intakeReaches(ref, 'accepted');
    await post('gaoxin', 'intake', ref, { type: 'withdrawn', note: '申请人撤回申请' }, 'withdrawn');
    await handlingReaches('xihaike', remoteRef, 'withdrawn');
    // Withdrawn is final for a decision: xihaike can no longer decide it.
    expect((await api('xihaike', 'handling', 'POST', `/api/v1/cases/${remoteRef}/events`, { type: 'decided', data: { outcome: 'approved' } })).json).toMatchObject({ code: 'invalid_transition' });
    expect((await timelinesAgree(ref, remoteRef)).map((e) => e.type)).toEqual(['accepted', 'withdrawn']);
    expect(await intakeCase(ref)).toMatchObject({ state: 'withdrawn' });
  }, CASE_TIMEOUT);

  it('(e) 多地联办: a joint case over chengdu-gx then xihaike, each step handled by its member, decides the joint case', async () => {
    const plan = [{ id: 'zqz', member: 'chengdu-gx', dependsOn: [] }, { id: 'qc', member: 'xihaike', dependsOn: ['zqz'] }];
    const { ref, transfer } = await takeInAndTransfer('KS-HJ-002', 'joint', { method: 'window' }, plan);
    expect(transfer.steps).toEqual([expect.objectContaining({ step: 'zqz', to: 'chengdu-gx' })]);
    const stepOf = (c: Json, id: string) => (c.steps as Json[]).find((s) => s.id === id)!;
    const running = (id: string) => until(`step ${id} is received by its member`, () => intakeCase(ref), (c) => !!stepOf(c, id).remoteRef);

    const zqz = stepOf(await running('zqz'), 'zqz').remoteRef as string;
    expect(stepOf(await intakeCase(ref), 'qc')).toMatchObject({ state: 'pending', ref: null });
    await post('chengdu-gx', 'handling', zqz, { type: 'accepted' }, 'accepted');
    await post('chengdu-gx', 'handling', zqz, { type: 'decided', data: { outcome: 'approved', documentNo: '准迁字〔2026〕8号' } }, 'decided');

    const qc = stepOf(await running('qc'), 'qc').remoteRef as string;
    expect(stepOf(await intakeCase(ref), 'zqz')).toMatchObject({ state: 'done' });
    await post('xihaike', 'handling', qc, { type: 'accepted' }, 'accepted');
    await post('xihaike', 'handling', qc, { type: 'decided', data: { outcome: 'approved' } }, 'decided');

    const done = await intakeReaches(ref, 'decided');
    expect((done.steps as Json[]).map((s) => `${s.id}:${s.state}`)).toEqual(['zqz:done', 'qc:done']);
    expect((await timeline('chengdu-gx', 'handling', zqz)).status).toBe('decided');
    expect((await timeline('xihaike', 'handling', qc)).status).toBe('decided');
  }, CASE_TIMEOUT);
});
