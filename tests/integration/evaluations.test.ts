import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluations, outboxMessages } from '../../src/db/schema/index';
import { nationalCalendar } from '../../src/services/calendar/national';
import { followUpClocks } from '../../src/services/evaluations/follow-up';
import { twoMembers, type Member, type TwoMembers } from '../support/two-members';

/** Friday 2026-04-03 09:00 in Beijing, the day before the Qingming holidays (04-04 to 04-06). */
const T0 = Date.parse('2026-04-03T09:00:00+08:00');
const at = (s: string) => Date.parse(`${s}+08:00`);
const iso = (s: string) => new Date(at(s)).toISOString();
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let m: TwoMembers;
let tokens: Record<'intake' | 'otherWindow' | 'gxHandling' | 'gxSupervisor' | 'handling' | 'xhIntake' | 'xhSupervisor', string>;
const ids = {} as Record<'handling' | 'xhSupervisor' | 'intake', string>;
let c1: { gx: string; xh: string };
const ev = {} as Record<'e1' | 'e2' | 'e3', string>;

beforeAll(async () => {
  m = await twoMembers(T0);
  tokens = {
    intake: await m.clerk('gaoxin', 'intake'), otherWindow: await m.clerk('gaoxin', 'intake', 'kuayu-2'), gxHandling: await m.clerk('gaoxin', 'handling'),
    gxSupervisor: await m.clerk('gaoxin', 'supervisor'), handling: await m.clerk('xihaike', 'handling'), xhIntake: await m.clerk('xihaike', 'intake'),
    xhSupervisor: await m.clerk('xihaike', 'supervisor'),
  };
  ids.handling = (await m.api('xihaike', tokens.handling, 'GET', '/api/v1/me')).json.id as string;
  ids.xhSupervisor = (await m.api('xihaike', tokens.xhSupervisor, 'GET', '/api/v1/me')).json.id as string;
  ids.intake = (await m.api('gaoxin', tokens.intake, 'GET', '/api/v1/me')).json.id as string;
  c1 = await m.transferredCase(tokens.intake);
});

afterAll(async () => { await m?.drop(); });

const evaluate = (member: Member, token: string, ref: string, body: unknown) => m.api(member, token, 'POST', `/api/v1/cases/${ref}/evaluations`, body);
const ofCase = (member: Member, token: string, ref: string) => m.api(member, token, 'GET', `/api/v1/cases/${ref}/evaluations`);
const list = (member: Member, token: string, query = '') => m.api(member, token, 'GET', `/api/v1/evaluations${query}`);
const follow = (member: Member, token: string, id: string, body: unknown) => m.api(member, token, 'POST', `/api/v1/evaluations/${id}/follow-up`, body);
const listed = async (member: Member, token: string, query = '') => ((await list(member, token, query)).json.evaluations as { id: string }[]).map((e) => e.id);

/** A handling clerk's §7.2 event, carried to the intake side. */
async function event(ref: string, body: object) {
  expect((await m.api('xihaike', tokens.handling, 'POST', `/api/v1/cases/${ref}/events`, body)).status).toBe(200);
  expect(await m.gw.xihaike.outbox.runOnce()).toEqual(['delivered']);
}

const queued = (member: Member) => m.dbs[member].database.db.select().from(outboxMessages).where(and(eq(outboxMessages.kind, 'evaluation'), eq(outboxMessages.status, 'pending')));

describe('POST /api/v1/cases/{ref}/evaluations', () => {
  it('before the case reaches the stage it is 409, and nothing is queued', async () => {
    for (const stage of ['accepted', 'finished']) {
      expect(await evaluate('gaoxin', tokens.intake, c1.gx, { stage, score: 5, channel: 'window' })).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    }
    expect(await queued('gaoxin')).toEqual([]);
  });

  it('受理: recorded at the window with its level, the comment sealed at rest, and sent to the handling member', async () => {
    await event(c1.xh, { type: 'accepted' });
    const r = await evaluate('gaoxin', tokens.intake, c1.gx, { stage: 'accepted', score: 5, channel: 'window', comment: '窗口办事很快' });
    expect(r).toMatchObject({ status: 201, json: {
      id: expect.stringMatching(/^eva_/), caseRef: c1.gx, stage: 'accepted', score: 5, level: '非常满意', channel: 'window', comment: '窗口办事很快',
      origin: 'local', recordedBy: ids.intake, at: new Date(T0).toISOString(), followUp: null,
    } });
    ev.e1 = r.json.id as string;
    const [row] = await m.dbs.gaoxin.database.db.select().from(evaluations).where(eq(evaluations.id, ev.e1));
    expect(row!.commentSealed).toMatch(/^v1\./);
    expect(row!.commentSealed).not.toContain('窗口');
    expect(await queued('gaoxin')).toMatchObject([{ targetMember: 'xihaike', path: '/federation/v1/evaluations', caseRef: c1.gx, bodySealed: true }]);
    expect(await m.gw.gaoxin.outbox.runOnce()).toEqual(['delivered']);
    expect((await ofCase('xihaike', tokens.handling, c1.xh)).json).toMatchObject([{ caseRef: c1.xh, stage: 'accepted', score: 5, comment: '窗口办事很快', origin: 'gaoxin', recordedBy: null, followUp: null }]);
  });

  it('a second evaluation of the same case and stage is 409', async () => {
    const r = await evaluate('gaoxin', tokens.intake, c1.gx, { stage: 'accepted', score: 4, channel: 'pad' });
    expect(r).toMatchObject({ status: 409, json: { code: 'invalid_transition', detail: expect.stringContaining('already evaluated') } });
  });

  it('a 差评 at the handling member opens a follow-up due in working days (Qingming not counted), and reaches the intake member', async () => {
    await event(c1.xh, { type: 'decided', data: { outcome: 'approved' } });
    m.clock.set(at('2026-04-03T10:30:00'));
    const r = await evaluate('xihaike', tokens.handling, c1.xh, { stage: 'finished', score: 2, channel: 'pad', comment: '等了很久', at: '2026-04-03T10:00:00+08:00' });
    expect(r).toMatchObject({ status: 201, json: { caseRef: c1.xh, level: '不满意', origin: 'local', recordedBy: ids.handling, at: iso('2026-04-03T10:00:00'), followUp: {
      state: 'open', callbackDueAt: iso('2026-04-08T00:00:00'), remedyDueAt: iso('2026-04-28T00:00:00'),
      calledBackAt: null, remediedAt: null, closedAt: null, callbackOverdue: false, remedyOverdue: false,
    } } });
    ev.e2 = r.json.id as string;
    expect(await m.gw.xihaike.outbox.runOnce()).toEqual(['delivered']);
    const gx = await ofCase('gaoxin', tokens.intake, c1.gx);
    expect(gx.json).toMatchObject([{ id: ev.e1, origin: 'local' }, { caseRef: c1.gx, stage: 'finished', score: 2, comment: '等了很久', origin: 'xihaike', followUp: null }]);
  });

  it('the clocks take the configured working days', () => {
    const clocks = followUpClocks(nationalCalendar(), { badReviewCallbackDays: 2, badReviewRemedyDays: 5 }, at('2026-04-30T16:00:00'));
    // Labour Day 05-01 to 05-05 off, Saturday 05-09 a make-up working day.
    expect(clocks).toEqual({ callbackDueAt: new Date(at('2026-05-08T00:00:00')), remedyDueAt: new Date(at('2026-05-12T00:00:00')) });
  });
});

describe('POST /api/v1/evaluations/{id}/follow-up', () => {
  it('the open follow-up is listed, and as overdue once its callback time has passed', async () => {
    expect(await listed('xihaike', tokens.handling, '?followUp=open')).toEqual([ev.e2]);
    expect(await listed('xihaike', tokens.handling, '?followUp=overdue')).toEqual([]);
    m.clock.set(at('2026-04-08T09:00:00'));
    expect(await listed('xihaike', tokens.handling, '?followUp=overdue')).toEqual([ev.e2]);
  });

  it('goes call back, remedy, close: out of order 409, closing by a clerk 403, a note required', async () => {
    expect(await follow('xihaike', tokens.handling, ev.e2, { action: 'remedy', note: '整改' })).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    expect(await follow('xihaike', tokens.handling, ev.e2, { action: 'close' })).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
    expect(await follow('xihaike', tokens.xhSupervisor, ev.e2, { action: 'close' })).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    expect(await follow('xihaike', tokens.handling, ev.e2, { action: 'call_back' })).toMatchObject({ status: 400, json: { code: 'invalid_request', errors: [{ path: 'note' }] } });
    const called = await follow('xihaike', tokens.handling, ev.e2, { action: 'call_back', note: '已电话回访，申请人说明了等待原因' });
    expect(called).toMatchObject({ status: 200, json: { id: ev.e2, followUp: {
      state: 'called_back', calledBackAt: iso('2026-04-08T09:00:00'), calledBackBy: ids.handling, callbackNote: '已电话回访，申请人说明了等待原因', callbackOverdue: true, remedyOverdue: false,
    } } });
    expect((await follow('xihaike', tokens.handling, ev.e2, { action: 'call_back', note: '再次' })).status).toBe(409);
    m.clock.set(at('2026-04-20T10:00:00'));
    const remedied = await follow('xihaike', tokens.handling, ev.e2, { action: 'remedy', note: '增设自助取号' });
    expect(remedied.json.followUp).toMatchObject({ state: 'remedied', remediedAt: iso('2026-04-20T10:00:00'), remediedBy: ids.handling, remedyNote: '增设自助取号', remedyOverdue: false });
    const closed = await follow('xihaike', tokens.xhSupervisor, ev.e2, { action: 'close' });
    expect(closed).toMatchObject({ status: 200, json: { followUp: { state: 'closed', closedAt: iso('2026-04-20T10:00:00'), closedBy: ids.xhSupervisor } } });
    expect((await follow('xihaike', tokens.xhSupervisor, ev.e2, { action: 'close' })).status).toBe(409);
    expect(await listed('xihaike', tokens.handling, '?followUp=closed')).toEqual([ev.e2]);
    expect(await listed('xihaike', tokens.handling, '?followUp=open')).toEqual([]);
  });

  it('an evaluation without a follow-up (a good one, or a 差评 the other member forwarded) is 409', async () => {
    expect(await follow('gaoxin', tokens.intake, ev.e1, { action: 'call_back', note: '回访' })).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    const forwarded = ((await ofCase('gaoxin', tokens.intake, c1.gx)).json as Json[]).find((e) => e.origin === 'xihaike')!;
    expect(await follow('gaoxin', tokens.intake, forwarded.id as string, { action: 'call_back', note: '回访' })).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
  });
});

describe('GET /api/v1/evaluations', () => {
  it("lists the member's evaluations with their case, newest first, filtered and a page at a time", async () => {
    const c2 = await m.transferredCase(tokens.intake);
    await event(c2.xh, { type: 'accepted' });
    const r = await evaluate('gaoxin', tokens.gxSupervisor, c2.gx, { stage: 'accepted', score: 3, channel: 'qr', comment: '' });
    expect(r).toMatchObject({ status: 201, json: { level: '基本满意', comment: null, at: iso('2026-04-20T10:00:00') } });
    ev.e3 = r.json.id as string;
    const all = await list('gaoxin', tokens.gxHandling);
    expect(all).toMatchObject({ status: 200, json: { nextCursor: null } });
    expect(all.json.evaluations).toMatchObject([
      { id: ev.e3, caseRef: c2.gx, itemCode: 'KS-GJJ-003', caseId: expect.stringMatching(/^gaoxin-/) },
      { caseRef: c1.gx, stage: 'finished', origin: 'xihaike', followUp: null },
      { id: ev.e1, caseRef: c1.gx },
    ]);
    expect(await listed('gaoxin', tokens.intake, '?stage=accepted')).toEqual([ev.e3, ev.e1]);
    expect(await listed('gaoxin', tokens.intake, '?score=5')).toEqual([ev.e1]);
    expect((await list('gaoxin', tokens.intake, '?bad=true')).json.evaluations).toMatchObject([{ score: 2 }]);
    expect(await listed('gaoxin', tokens.intake, '?from=2026-04-04')).toEqual([ev.e3]);
    expect(await listed('gaoxin', tokens.intake, '?to=2026-04-03&stage=accepted')).toEqual([ev.e1]);
    expect((await list('gaoxin', tokens.intake, '?from=2026-04-03T09:30:00%2B08:00&to=2026-04-03T10:00:00%2B08:00')).json.evaluations).toMatchObject([{ stage: 'finished', score: 2 }]);
    // The forwarded 差评 is followed up where it was given, not here.
    expect(await listed('gaoxin', tokens.intake, '?followUp=open')).toEqual([]);
    const first = await list('gaoxin', tokens.intake, '?limit=2');
    expect((first.json.evaluations as Json[]).map((e) => e.id)[0]).toBe(ev.e3);
    const second = await list('gaoxin', tokens.intake, `?limit=2&cursor=${first.json.nextCursor}`);
    expect(second.json).toMatchObject({ evaluations: [{ id: ev.e1 }], nextCursor: null });
  });
});

describe('bad input and security', () => {
  it('a body off the schema is 400 naming each field', async () => {
    const r = await evaluate('gaoxin', tokens.intake, c1.gx, { stage: 'halfway', score: 6, channel: 'email', comment: 'x'.repeat(501) });
    expect(r).toMatchObject({ status: 400, json: { code: 'invalid_request' } });
    expect((r.json.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['channel', 'comment', 'score', 'stage']);
    expect(await evaluate('gaoxin', tokens.intake, c1.gx, { stage: 'finished', score: 2.5, channel: 'web' })).toMatchObject({ status: 400, json: { errors: [{ path: 'score' }] } });
    expect((await evaluate('gaoxin', tokens.intake, c1.gx, { stage: 'finished', score: 4, channel: 'web', extra: 1 })).status).toBe(400);
    expect(await evaluate('gaoxin', tokens.intake, c1.gx, { stage: 'finished', score: 4, channel: 'web', at: 'yesterday' })).toMatchObject({ status: 400, json: { errors: [{ path: 'at' }] } });
    expect(await evaluate('gaoxin', tokens.intake, c1.gx, { stage: 'finished', score: 4, channel: 'web', at: '2026-12-01T10:00:00+08:00' })).toMatchObject({ status: 400, json: { errors: [{ path: 'at', message: 'is in the future' }] } });
    expect(await ofCase('gaoxin', tokens.intake, 'not-a-ref')).toMatchObject({ status: 400, json: { errors: [{ path: 'ref' }] } });
    expect(await follow('xihaike', tokens.handling, 'nope', { action: 'call_back', note: 'x' })).toMatchObject({ status: 400, json: { errors: [{ path: 'id' }] } });
    expect(await follow('xihaike', tokens.handling, ev.e2, { action: 'apologise', note: 'x' })).toMatchObject({ status: 400, json: { errors: [{ path: 'action' }] } });
    for (const [query, path] of [['?score=9', 'score'], ['?followUp=late', 'followUp'], ['?from=yesterday', 'from'], ['?bad=yes', 'bad'], ['?cursor=bm90LWEtY3Vyc29y', 'cursor']]) {
      expect(await list('gaoxin', tokens.intake, query)).toMatchObject({ status: 400, json: { code: 'invalid_request', errors: [{ path }] } });
    }
  });

  it('401 without a token', async () => {
    const base = 'https://gaoxin.example.test';
    for (const [method, path] of [['POST', `/api/v1/cases/${c1.gx}/evaluations`], ['GET', `/api/v1/cases/${c1.gx}/evaluations`], ['GET', '/api/v1/evaluations'], ['POST', `/api/v1/evaluations/${ev.e1}/follow-up`]]) {
      const res = await m.gw.gaoxin.app.request(base + path, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      expect(res.status).toBe(401);
    }
  });

  it("404: another window's case, a case of the other role, the other member's ref, an unknown evaluation", async () => {
    const body = { stage: 'finished', score: 4, channel: 'window' };
    expect(await evaluate('gaoxin', tokens.otherWindow, c1.gx, body)).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect((await ofCase('gaoxin', tokens.otherWindow, c1.gx)).status).toBe(404);
    expect((await evaluate('gaoxin', tokens.gxHandling, c1.gx, body)).status).toBe(404);
    expect((await evaluate('xihaike', tokens.xhIntake, c1.xh, body)).status).toBe(404);
    expect((await ofCase('gaoxin', tokens.intake, c1.xh)).status).toBe(404);
    expect((await follow('xihaike', tokens.handling, 'eva_AAAAAAAAAAAAAAAA', { action: 'call_back', note: 'x' })).status).toBe(404);
    // A supervisor reads every case of the member.
    expect((await ofCase('gaoxin', tokens.gxSupervisor, c1.gx)).status).toBe(200);
  });

  it('the OpenAPI document lists the operations', async () => {
    const res = await m.gw.gaoxin.app.request('https://gaoxin.example.test/api/v1/openapi.json');
    const doc = (await res.json()) as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.paths['/api/v1/cases/{ref}/evaluations']).toMatchObject({ post: { operationId: 'recordEvaluation' }, get: { operationId: 'listCaseEvaluations' } });
    expect(doc.paths['/api/v1/evaluations']?.get?.operationId).toBe('listEvaluations');
    expect(doc.paths['/api/v1/evaluations/{id}/follow-up']?.post?.operationId).toBe('followUpEvaluation');
  });
});
