import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../src/db/schema/index';
import { POSTED_ITEM, twoMembers, type Member, type TwoMembers } from '../support/two-members';

const at = (s: string) => Date.parse(`${s}+08:00`);
/** A joint case (多地联办) at gaoxin's window, its steps at xihaike and at chengdu-gx (not a member of this alliance). */
const JOINT = 'cs_JOINTcase0000000';

let m: TwoMembers;
let tokens: Record<'intake' | 'otherWindow' | 'gxSupervisor' | 'handling', string>;
/** a: 2026-03-02 07:30 in Beijing (still 03-01 in UTC); b: 03-02 23:59, posted item; c: 03-03 00:00, not sent, 王五. */
let a: { gx: string; xh: string };
let b: { gx: string; xh: string };
let c: { ref: string; caseId: string };

async function takeIn(name: string): Promise<{ ref: string; caseId: string }> {
  const r = await m.api('gaoxin', tokens.intake, 'POST', '/api/v1/cases', {
    itemCode: 'KS-GJJ-003', mode: 'proxy_intake', applicant: { kind: 'person', name, idType: 'resident_id', idNumber: '370211199303031234' },
    identityCheck: { method: 'id_card_reader', result: 'passed' }, delivery: { method: 'window' }, consent: { dataSharing: true, at: new Date(m.clock.now()).toISOString() },
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return { ref: r.json.ref as string, caseId: r.json.caseId as string };
}

async function insertJointCase() {
  const createdAt = new Date(at('2026-03-04T10:00:00'));
  await m.dbs.gaoxin.database.db.insert(cases).values({
    ref: JOINT, role: 'intake', intakeMember: 'gaoxin', intakeCaseId: 'gaoxin-20260304-0001', itemCode: 'KS-HJ-002', mode: 'joint', state: 'intake',
    jointPlan: [{ id: 'zqz', member: 'xihaike', dependsOn: [] }, { id: 'qc', member: 'chengdu-gx', dependsOn: ['zqz'] }],
    applicantKind: 'person', applicantName: '赵六', applicantIdType: 'resident_id', applicantIdSealed: 'v1.x.y', applicantIdMasked: '370211********1234',
    intake: { member: 'gaoxin', window: 'kuayu-1', clerk: 'ck_x' }, delivery: { method: 'window' }, consent: {}, createdAt, updatedAt: createdAt,
  });
}

beforeAll(async () => {
  m = await twoMembers(at('2026-03-02T07:30:00'));
  tokens = {
    intake: await m.clerk('gaoxin', 'intake'), otherWindow: await m.clerk('gaoxin', 'intake', 'kuayu-2'),
    gxSupervisor: await m.clerk('gaoxin', 'supervisor'), handling: await m.clerk('xihaike', 'handling'),
  };
  a = await m.transferredCase(tokens.intake);
  m.clock.set(at('2026-03-02T23:59:00'));
  b = await m.transferredCase(tokens.intake, { method: 'post', address: '青岛市黄岛区长江中路 1 号' }, POSTED_ITEM);
  m.clock.set(at('2026-03-03T00:00:00'));
  c = await takeIn('王五');
  await insertJointCase();
  m.clock.set(at('2026-03-05T09:00:00'));
});

afterAll(async () => { await m?.drop(); });

async function refs(member: Member, token: string, query: string): Promise<string[]> {
  const r = await m.api(member, token, 'GET', `/api/v1/cases?${query}`);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return (r.json as unknown as { ref: string }[]).map((x) => x.ref);
}
const gx = (query: string, token = tokens.intake) => refs('gaoxin', token, query);

describe('GET /api/v1/cases filters', () => {
  it('without filters lists every case of the window, newest first', async () => {
    expect(await gx('')).toEqual([JOINT, c.ref, b.gx, a.gx]);
  });

  it('from and to are China dates on createdAt, both inclusive', async () => {
    expect(await gx('from=2026-03-02&to=2026-03-02')).toEqual([b.gx, a.gx]);
    // a was created on 2026-03-01 in UTC, but on 2026-03-02 in Beijing.
    expect(await gx('to=2026-03-01')).toEqual([]);
    expect(await gx('from=2026-03-03')).toEqual([JOINT, c.ref]);
    expect(await gx('from=2026-03-03&to=2026-03-03')).toEqual([c.ref]);
  });

  it('member is the other member: the handling member, any step of a joint case, the intake member on the handling side', async () => {
    expect(await gx('member=xihaike')).toEqual([JOINT, b.gx, a.gx]);
    expect(await gx('member=chengdu-gx')).toEqual([JOINT]);
    expect(await gx('member=gaoxin')).toEqual([]);
    expect(await refs('xihaike', tokens.handling, 'member=gaoxin')).toEqual([b.xh, a.xh]);
    expect(await refs('xihaike', tokens.handling, 'member=xihaike')).toEqual([]);
  });

  it('item is the item code', async () => {
    expect(await gx(`item=${POSTED_ITEM}`)).toEqual([b.gx]);
    expect(await gx('item=KS-HJ-002')).toEqual([JOINT]);
    expect(await refs('xihaike', tokens.handling, 'item=KS-GJJ-003')).toEqual([a.xh]);
  });

  it('q is a substring of the ref, the intake case id or the applicant name, any case, wildcards taken literally', async () => {
    expect(await gx(`q=${encodeURIComponent('王五')}`)).toEqual([c.ref]);
    expect(await gx(`q=${encodeURIComponent('李')}`)).toEqual([b.gx, a.gx]);
    expect(await gx(`q=${c.caseId.slice(0, -2).toUpperCase()}`)).toEqual([c.ref]);
    expect(await gx(`q=${a.gx.slice(2)}`)).toEqual([a.gx]);
    expect(await gx('q=JOINTCASE')).toEqual([JOINT]);
    expect(await gx(`q=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await gx(`q=${encodeURIComponent('王_')}`)).toEqual([]);
    expect(await gx('q=CS_')).toEqual([JOINT, c.ref, b.gx, a.gx]);
    expect(await gx('q=')).toEqual([JOINT, c.ref, b.gx, a.gx]);
    // Under 3 characters no trigram index can serve a substring: a short query is the name's beginning
    // (a two-character name is the whole name) or an exact ref or case id.
    expect(await gx(`q=${encodeURIComponent('四')}`)).toEqual([]);
    expect(await gx(`q=${encodeURIComponent('李四')}`)).toEqual([b.gx, a.gx]);
    // The handling side has the applicant's name too, under its own refs.
    expect(await refs('xihaike', tokens.handling, `q=${encodeURIComponent('李四')}`)).toEqual([b.xh, a.xh]);
  });

  it('combines with the existing filters (role, state, overdue, limit)', async () => {
    expect(await gx('member=xihaike&item=KS-GJJ-003&from=2026-03-02')).toEqual([a.gx]);
    expect(await gx('role=intake&state=intake&from=2026-03-01')).toEqual([JOINT, c.ref]);
    expect(await gx('state=received&q=%E6%9D%8E')).toEqual([b.gx, a.gx]);
    expect(await gx('member=xihaike&limit=1')).toEqual([JOINT]);
    expect(await gx('role=handling&member=xihaike')).toEqual([]);
    expect(await gx('overdue=true&member=xihaike', tokens.gxSupervisor)).toEqual([b.gx, a.gx]);
    // The overdue rule is applied before the limit, so a page holds as many overdue cases as asked for.
    expect(await gx('overdue=true&limit=1', tokens.gxSupervisor)).toEqual([b.gx]);
  });

  it('bad filters are 400 naming each field', async () => {
    const r = await m.api('gaoxin', tokens.intake, 'GET', `/api/v1/cases?from=2026-02-30&member=${encodeURIComponent('Not A Member')}&item=nope&q=${'x'.repeat(101)}`);
    expect(r).toMatchObject({ status: 400, json: { code: 'invalid_request' } });
    expect((r.json.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['from', 'item', 'member', 'q']);
    const backwards = await m.api('gaoxin', tokens.intake, 'GET', '/api/v1/cases?from=2026-03-05&to=2026-03-01');
    expect(backwards).toMatchObject({ status: 400, json: { code: 'invalid_request', errors: [{ path: 'to' }] } });
    expect((await m.api('gaoxin', tokens.intake, 'GET', '/api/v1/cases?to=20260301')).json.errors).toEqual([{ path: 'to', message: expect.any(String) }]);
  });

  it("filters never widen what a clerk sees: another window's clerk and the other member's clerks find nothing; no token is 401", async () => {
    expect(await gx(`q=${encodeURIComponent('王五')}`, tokens.otherWindow)).toEqual([]);
    expect(await gx('member=xihaike', tokens.otherWindow)).toEqual([]);
    expect(await refs('xihaike', tokens.handling, `q=${encodeURIComponent('王五')}`)).toEqual([]);
    expect(await refs('xihaike', tokens.handling, `q=${a.gx}`)).toEqual([]);
    const res = await m.gw.gaoxin.app.request('https://gaoxin.example.test/api/v1/cases?member=xihaike');
    expect(res.status).toBe(401);
  });
});
