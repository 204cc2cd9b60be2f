import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, evaluationFollowups, evaluations, evidenceRecords, outboxMessages } from '../../src/db/schema/index';
import { signRequest } from '../../src/federation/envelope/sign';
import { loadSigner } from '../../src/federation/keys';
import { fromUtf8, utf8 } from '../../src/lib/encoding';
import { randomIds } from '../../src/lib/ids';
import { ENDPOINTS, twoMembers, type Member, type TwoMembers } from '../support/two-members';

const T0 = Date.parse('2026-03-02T09:00:00+08:00');
const PATH = '/federation/v1/evaluations';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let m: TwoMembers;
let tokens: Record<'intake' | 'handling', string>;
let c: { gx: string; xh: string };

beforeAll(async () => {
  m = await twoMembers(T0);
  tokens = { intake: await m.clerk('gaoxin', 'intake'), handling: await m.clerk('xihaike', 'handling') };
  c = await m.transferredCase(tokens.intake);
  expect((await m.api('xihaike', tokens.handling, 'POST', `/api/v1/cases/${c.xh}/events`, { type: 'accepted' })).status).toBe(200);
  expect(await m.gw.xihaike.outbox.runOnce()).toEqual(['delivered']);
});

afterAll(async () => { await m?.drop(); });

/** A §7.4 request signed by `from` at the members' fixed clock; `tamper` changes the body after signing. */
async function send(from: Member, to: Member, body: unknown, o: { key?: string; unsigned?: boolean; tamper?: boolean } = {}) {
  const bytes = utf8(JSON.stringify(body));
  const signer = await loadSigner(m.alliance.members.get(from)!.privateJwk);
  const { token } = await signRequest(signer, { iss: from, aud: to, method: 'POST', url: ENDPOINTS[to] + PATH, body: bytes }, m.clock, randomIds);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': o.key ?? crypto.randomUUID() };
  if (!o.unsigned) headers['handshake-request'] = token;
  const sent = o.tamper ? utf8(JSON.stringify({ ...(body as object), score: 5 })) : bytes;
  const res = await m.gw[to].app.request(ENDPOINTS[to] + PATH, { method: 'POST', headers, body: sent as Uint8Array<ArrayBuffer> });
  return { status: res.status, json: (await res.json()) as Json, signed: res.headers.has('handshake-response'), replayed: res.headers.get('idempotent-replayed') };
}

const rowsAt = (member: Member, ref: string) => m.dbs[member].database.db.select().from(evaluations).where(eq(evaluations.caseRef, ref));

describe('an evaluation crosses from the member that received it to the other member (§7.4)', () => {
  it('recorded at the intake member, it reaches the handling member through the outbox under the handling ref', async () => {
    const r = await m.api('gaoxin', tokens.intake, 'POST', `/api/v1/cases/${c.gx}/evaluations`, { stage: 'accepted', score: 1, channel: 'window', comment: '材料被退回三次' });
    expect(r.status).toBe(201);
    const [message] = await m.dbs.gaoxin.database.db.select().from(outboxMessages).where(eq(outboxMessages.kind, 'evaluation'));
    expect(message).toMatchObject({ targetMember: 'xihaike', method: 'POST', path: PATH, caseRef: c.gx, bodySealed: true, status: 'pending' });
    // The applicant's words are sealed at rest in the outbox too.
    expect(fromUtf8(message!.body)).not.toContain('材料');
    expect(await m.gw.gaoxin.outbox.runOnce()).toEqual(['delivered']);
    const [sent] = await m.dbs.gaoxin.database.db.select().from(outboxMessages).where(eq(outboxMessages.id, message!.id));
    expect(sent!.responseStatus).toBe(200);
    expect(JSON.parse(fromUtf8(sent!.responseBody!))).toEqual({ caseRef: c.xh, stage: 'accepted', status: 'recorded' });
    const [kept] = await rowsAt('xihaike', c.xh);
    expect(kept).toMatchObject({ stage: 'accepted', score: 1, channel: 'window', origin: 'gaoxin', recordedBy: null, at: new Date(T0) });
    // The 差评 is followed up at gaoxin, where the applicant gave it, not at xihaike.
    expect(await m.dbs.xihaike.database.db.select().from(evaluationFollowups).where(eq(evaluationFollowups.evaluationId, kept!.id))).toEqual([]);
    expect(await m.dbs.gaoxin.database.db.select().from(evaluationFollowups).where(eq(evaluationFollowups.evaluationId, r.json.id as string))).toHaveLength(1);
    // Its evidence is filed under xihaike's own ref of the case.
    const evidence = await m.dbs.xihaike.database.db.select().from(evidenceRecords).where(and(eq(evidenceRecords.path, PATH), eq(evidenceRecords.kind, 'response_sent')));
    expect(evidence.map((e) => e.caseRef)).toEqual([c.xh]);
  });

  it('recorded at the handling member, it reaches the intake member, which finds its case by the handling ref', async () => {
    expect((await m.api('xihaike', tokens.handling, 'POST', `/api/v1/cases/${c.xh}/events`, { type: 'decided', data: { outcome: 'approved' } })).status).toBe(200);
    const r = await m.api('xihaike', tokens.handling, 'POST', `/api/v1/cases/${c.xh}/evaluations`, { stage: 'finished', score: 4, channel: 'app' });
    expect(r.status).toBe(201);
    const [message] = await m.dbs.xihaike.database.db.select().from(outboxMessages).where(eq(outboxMessages.kind, 'evaluation'));
    expect(message).toMatchObject({ targetMember: 'gaoxin', caseRef: c.xh, bodySealed: false });
    expect(JSON.parse(fromUtf8(message!.body))).toEqual({ caseRef: c.xh, score: 4, stage: 'finished', channel: 'app', at: new Date(T0).toISOString() });
    // The decision first, then the evaluation: one case's messages to one member leave in order.
    expect(await m.gw.xihaike.outbox.runOnce()).toEqual(['delivered']);
    expect(await m.gw.xihaike.outbox.runOnce()).toEqual(['delivered']);
    expect((await rowsAt('gaoxin', c.gx)).find((e) => e.stage === 'finished')).toMatchObject({ score: 4, channel: 'app', origin: 'xihaike', commentSealed: null });
  });
});

describe('POST /federation/v1/evaluations', () => {
  const body = () => ({ caseRef: c.gx, score: 3, stage: 'accepted', channel: '12345热线', at: '2026-03-02T11:00:00+08:00' });

  it('refuses an unsigned or forged request, and records nothing', async () => {
    const fresh = { ...body(), caseRef: c.xh, stage: 'finished' };
    expect(await send('gaoxin', 'xihaike', fresh, { unsigned: true })).toMatchObject({ status: 401, json: { code: 'missing_signature' } });
    expect(await send('gaoxin', 'xihaike', fresh, { tamper: true })).toMatchObject({ status: 401, json: { code: 'digest_mismatch' } });
    expect((await rowsAt('xihaike', c.xh)).map((e) => `${e.stage}:${e.score}`).sort()).toEqual(['accepted:1', 'finished:4']);
  });

  it('answers 404 to a member that does not take part in the case, never 403', async () => {
    // A case another member transferred to xihaike: gaoxin has no part in it.
    const [own] = await m.dbs.xihaike.database.db.select().from(cases).where(eq(cases.ref, c.xh));
    await m.dbs.xihaike.database.db.insert(cases).values({ ...own!, ref: 'cs_CHENGDUcase00001', intakeMember: 'chengdu-gx', intakeCaseId: 'CD-0001' });
    expect(await send('gaoxin', 'xihaike', { ...body(), caseRef: 'cs_CHENGDUcase00001' })).toMatchObject({ status: 404, json: { code: 'not_found' }, signed: true });
    // gaoxin's own ref names nothing at xihaike; xihaike's ref names nothing at gaoxin but from xihaike.
    expect((await send('gaoxin', 'xihaike', { ...body(), caseRef: c.gx })).status).toBe(404);
    expect((await send('gaoxin', 'gaoxin', { ...body(), caseRef: c.xh })).status).toBe(404);
  });

  it('checks the body: 400 naming each field; a peer may name its channel its own way', async () => {
    const r = await send('xihaike', 'gaoxin', { caseRef: c.xh, score: 0, stage: 'later', channel: 'x'.repeat(33), at: 'now' });
    expect(r).toMatchObject({ status: 400, json: { code: 'invalid_request' }, signed: true });
    expect((r.json.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['at', 'channel', 'score', 'stage']);
    expect((await send('xihaike', 'gaoxin', { caseRef: c.xh, score: 3, stage: 'accepted', channel: 'web', at: '2026-03-02T11:00:00+08:00', extra: 1 })).status).toBe(400);
  });

  it('the same content twice is recorded once (200 both times); a repeated key gets the first answer; other content is 409', async () => {
    // gaoxin already holds its own 受理 evaluation for the case: another one from xihaike conflicts.
    expect(await send('xihaike', 'gaoxin', { ...body(), caseRef: c.xh })).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    const second = await m.transferredCase(tokens.intake);
    const forwarded = { ...body(), caseRef: second.xh, comment: '热线评价' };
    const first = await send('xihaike', 'gaoxin', forwarded, { key: 'eval-1' });
    expect(first).toMatchObject({ status: 200, json: { caseRef: second.xh, stage: 'accepted', status: 'recorded' }, signed: true });
    expect(await send('xihaike', 'gaoxin', forwarded, { key: 'eval-1' })).toMatchObject({ status: 200, json: first.json, replayed: 'true' });
    expect(await send('xihaike', 'gaoxin', forwarded, { key: 'eval-2' })).toMatchObject({ status: 200, json: first.json, replayed: null });
    expect(await send('xihaike', 'gaoxin', { ...forwarded, comment: '改了' }, { key: 'eval-3' })).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    expect(await send('xihaike', 'gaoxin', { ...forwarded, score: 1 }, { key: 'eval-1' })).toMatchObject({ status: 409, json: { code: 'idempotency_conflict' } });
    const kept = await rowsAt('gaoxin', second.gx);
    expect(kept).toMatchObject([{ stage: 'accepted', score: 3, channel: '12345热线', origin: 'xihaike' }]);
    const shown = await m.api('gaoxin', tokens.intake, 'GET', `/api/v1/cases/${second.gx}/evaluations`);
    expect(shown.json).toMatchObject([{ comment: '热线评价', channel: '12345热线', level: '基本满意', followUp: null }]);
  });
});

describe('a joint case (多地联办)', () => {
  it("goes to every step's handling member that has the step, under that member's ref; a step not sent yet is left out", async () => {
    const db = m.dbs.gaoxin.database.db;
    const [base] = await db.select().from(cases).where(eq(cases.ref, c.gx));
    const accepted = { status: 'accepted', delivery: 'window', received: true, accepted: true, supplementRequested: false };
    const plan = [{ id: 'a', member: 'xihaike', dependsOn: [] }, { id: 'b', member: 'xihaike', dependsOn: [] }, { id: 'c', member: 'xihaike', dependsOn: ['a'] }];
    await db.insert(cases).values([
      { ...base!, ref: 'cs_JOINTparent00001', mode: 'joint', intakeCaseId: 'J-1', handlingMember: null, remoteRef: null, state: 'received', stateDetail: { ...accepted, status: 'received', accepted: false }, jointPlan: plan },
      { ...base!, ref: 'cs_JOINTstepA00001', mode: 'joint', intakeCaseId: 'J-1', step: 'a', parentRef: 'cs_JOINTparent00001', remoteRef: 'cs_XHKstepA0000001', state: 'accepted', stateDetail: accepted },
      { ...base!, ref: 'cs_JOINTstepB00001', mode: 'joint', intakeCaseId: 'J-1', step: 'b', parentRef: 'cs_JOINTparent00001', remoteRef: 'cs_XHKstepB0000001', state: 'received', stateDetail: { ...accepted, status: 'received', accepted: false } },
      { ...base!, ref: 'cs_JOINTstepC00001', mode: 'joint', intakeCaseId: 'J-1', step: 'c', parentRef: 'cs_JOINTparent00001', remoteRef: null, state: 'transferring', stateDetail: null },
    ]);
    const r = await m.api('gaoxin', tokens.intake, 'POST', '/api/v1/cases/cs_JOINTparent00001/evaluations', { stage: 'accepted', score: 5, channel: 'web' });
    expect(r).toMatchObject({ status: 201, json: { caseRef: 'cs_JOINTparent00001', followUp: null } });
    const messages = await db.select().from(outboxMessages).where(and(eq(outboxMessages.kind, 'evaluation'), eq(outboxMessages.status, 'pending')));
    expect(messages.map((x) => ({ to: x.targetMember, ownRef: x.caseRef, caseRef: JSON.parse(fromUtf8(x.body)).caseRef })).sort((a, b) => a.ownRef!.localeCompare(b.ownRef!))).toEqual([
      { to: 'xihaike', ownRef: 'cs_JOINTstepA00001', caseRef: 'cs_XHKstepA0000001' },
      { to: 'xihaike', ownRef: 'cs_JOINTstepB00001', caseRef: 'cs_XHKstepB0000001' },
    ]);
    // Its steps' evaluations are listed with the joint case's own.
    expect((await m.api('gaoxin', tokens.intake, 'GET', '/api/v1/cases/cs_JOINTparent00001/evaluations')).json).toMatchObject([{ caseRef: 'cs_JOINTparent00001' }]);
  });
});
