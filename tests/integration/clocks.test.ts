import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../src/db/schema/index';
import { clockView } from '../../src/services/cases/clocks';
import { HOUR, SLA_HOURS, twoMembers, type Member, type TwoMembers } from '../support/two-members';

/** Monday 2026-03-02 09:00 in Beijing. */
const T0 = Date.parse('2026-03-02T09:00:00+08:00');
const at = (s: string) => Date.parse(`${s}+08:00`);

let m: TwoMembers;
let tokens: Record<'intake' | 'handling' | 'gxSupervisor' | 'xhSupervisor', string>;
let main: { gx: string; xh: string };
let stuck: { gx: string; xh: string };

beforeAll(async () => {
  m = await twoMembers(T0);
  tokens = {
    intake: await m.clerk('gaoxin', 'intake'), handling: await m.clerk('xihaike', 'handling'),
    gxSupervisor: await m.clerk('gaoxin', 'supervisor'), xhSupervisor: await m.clerk('xihaike', 'supervisor'),
  };
});

afterAll(async () => { await m?.drop(); });

async function clocks(member: Member, ref: string) {
  const [row] = await m.dbs[member].database.db.select().from(cases).where(eq(cases.ref, ref));
  return {
    state: row!.state, hopStartedAt: row!.hopStartedAt?.getTime() ?? null, hopDueAt: row!.hopDueAt?.getTime() ?? null,
    deadlineAt: row!.deadlineAt?.getTime() ?? null, pauses: row!.pauses, row: row!,
  };
}

/** A clerk's event, carried to the other side at the same instant. */
async function event(member: Member, ref: string, body: object) {
  const r = await m.api(member, member === 'gaoxin' ? tokens.intake : tokens.handling, 'POST', `/api/v1/cases/${ref}/events`, body);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  expect(await m.gw[member].outbox.runOnce()).toEqual(['delivered']);
}

const overdue = (member: Member, query = '') =>
  m.api(member, member === 'gaoxin' ? tokens.gxSupervisor : tokens.xhSupervisor, 'GET', `/api/v1/supervision/overdue${query}`);

describe('clocks through a case: received -> accepted -> supplement_requested -> supplement_provided -> decided', () => {
  it('the transfer and acceptance hops run on the intake side by the handling member\'s agreement', async () => {
    main = await m.transferredCase(tokens.intake);
    // The receipt came back at once: the transfer hop ended, the acceptance hop (24 h) began.
    expect(await clocks('gaoxin', main.gx)).toMatchObject({ state: 'received', hopStartedAt: T0, hopDueAt: T0 + SLA_HOURS.accept * HOUR, deadlineAt: null });
    // The handling side starts the same hop on receipt, by its own agreement.
    expect(await clocks('xihaike', main.xh)).toMatchObject({ state: 'received', hopStartedAt: T0, hopDueAt: T0 + SLA_HOURS.accept * HOUR, deadlineAt: null });
    m.clock.set(at('2026-03-02T09:30:00'));
    stuck = await m.transferredCase(tokens.intake);
  });

  it('acceptance starts the decision hop and the promised deadline (1 working day: the end of the next one)', async () => {
    m.clock.set(at('2026-03-02T10:00:00'));
    await event('xihaike', main.xh, { type: 'accepted' });
    const deadline = at('2026-03-04T00:00:00');
    for (const [member, ref] of [['xihaike', main.xh], ['gaoxin', main.gx]] as const) {
      expect(await clocks(member, ref)).toMatchObject({ state: 'accepted', hopStartedAt: at('2026-03-02T10:00:00'), hopDueAt: at('2026-03-02T10:00:00') + SLA_HOURS.decide * HOUR, deadlineAt: deadline, pauses: null });
    }
  });

  it('a supplement request pauses the deadline and runs the supplement hop', async () => {
    m.clock.set(at('2026-03-03T10:00:00'));
    await event('xihaike', main.xh, { type: 'supplement_requested', data: { items: [{ name: '婚姻证明', reason: '缺失' }], deadline: '2026-03-10T17:00:00+08:00' } });
    const c = await clocks('gaoxin', main.gx);
    expect(c).toMatchObject({ state: 'supplement_requested', hopDueAt: at('2026-03-03T10:00:00') + SLA_HOURS.supplement * HOUR, deadlineAt: at('2026-03-04T00:00:00') });
    expect(c.pauses).toEqual([{ from: at('2026-03-03T10:00:00') }]);
  });

  it('clerks read their cases with the clocks: a handling clerk lists those sent to the member, overdue ones on request', async () => {
    const list = await m.api('xihaike', tokens.handling, 'GET', '/api/v1/cases?role=handling');
    expect(list.status).toBe(200);
    const byRef = new Map((list.json as unknown as { ref: string }[]).map((c) => [c.ref, c]));
    expect(byRef.get(main.xh)).toMatchObject({ role: 'handling', intakeMember: 'gaoxin', state: 'supplement_requested', hop: 'supplement', paused: true, overdue: false });
    expect(byRef.get(stuck.xh)).toMatchObject({ role: 'handling', state: 'received', hop: 'accept', hopDueAt: new Date(at('2026-03-03T09:30:00')).toISOString(), overdue: true });
    const late = await m.api('xihaike', tokens.handling, 'GET', '/api/v1/cases?overdue=true');
    expect((late.json as unknown as { ref: string }[]).map((c) => c.ref)).toEqual([stuck.xh]);
    expect((await m.api('xihaike', tokens.handling, 'GET', `/api/v1/cases/${stuck.xh}`)).json).toMatchObject({ ref: stuck.xh, overdue: true, materials: expect.arrayContaining([expect.objectContaining({ sha256: expect.any(String) })]) });
    // Intake clerks of the other member, and bad filters, get nothing.
    expect((await m.api('gaoxin', tokens.intake, 'GET', `/api/v1/cases/${stuck.xh}`)).status).toBe(404);
    expect((await m.api('xihaike', tokens.handling, 'GET', '/api/v1/cases?state=nonsense')).status).toBe(400);
  });

  it('the overdue list shows a case past its hop and hides a paused one past its deadline', async () => {
    m.clock.set(at('2026-03-04T12:00:00'));
    const r = await overdue('gaoxin');
    expect(r.status).toBe(200);
    expect(r.json.cases).toEqual([{
      ref: stuck.gx, caseId: expect.stringMatching(/^gaoxin-/), item: 'KS-GJJ-003', side: 'intake', status: 'received', hop: 'accept', late: 'hop',
      dueAt: new Date(at('2026-03-03T09:30:00')).toISOString(), hopDueAt: new Date(at('2026-03-03T09:30:00')).toISOString(), deadlineAt: null,
      overdueHours: 26.5, overdueWorkingDays: 1,
    }]);
    expect(r.json.nextCursor).toBeNull();
    expect(clockView((await clocks('gaoxin', main.gx)).row, m.clock.now())).toMatchObject({ paused: true, overdue: false, hop: 'supplement' });
    expect(clockView((await clocks('gaoxin', stuck.gx)).row, m.clock.now())).toMatchObject({ paused: false, overdue: true, hop: 'accept' });
  });

  it('supplements provided close the pause; the deadline moves by the paused working time', async () => {
    m.clock.set(at('2026-03-05T10:00:00'));
    const content = new TextEncoder().encode('结婚证');
    const material = { requirement: 'marriage-certificate', name: '婚姻证明', mediaType: 'image/jpeg', size: content.length, sha256: createHash('sha256').update(content).digest('hex'), content: Buffer.from(content).toString('base64') };
    await event('gaoxin', main.gx, { type: 'supplement_provided', data: { materials: [material] } });
    const paused = [{ from: at('2026-03-03T10:00:00'), to: at('2026-03-05T10:00:00') }];
    // 10 h of the 1 working day ran before the pause (03-03 00:00-10:00 does not count: the deadline counts from 03-03),
    // so 14 h are left after it: 03-05 10:00-24:00. The deadline moves from the end of 03-03 to the end of 03-05.
    for (const [member, ref] of [['gaoxin', main.gx], ['xihaike', main.xh]] as const) {
      expect(await clocks(member, ref)).toMatchObject({ state: 'under_review', hopStartedAt: at('2026-03-05T10:00:00'), hopDueAt: at('2026-03-05T10:00:00') + SLA_HOURS.decide * HOUR, deadlineAt: at('2026-03-06T00:00:00'), pauses: paused });
    }
  });

  it('past the moved deadline the case is listed, the most overdue first, a page at a time', async () => {
    m.clock.set(at('2026-03-06T12:00:00'));
    const first = await overdue('gaoxin', '?limit=1');
    expect(first.json.cases).toMatchObject([{ ref: stuck.gx, late: 'hop' }]);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await overdue('gaoxin', `?limit=1&cursor=${first.json.nextCursor}`);
    expect(second.json).toMatchObject({ cases: [{ ref: main.gx, status: 'under_review', hop: 'decide', late: 'deadline', dueAt: new Date(at('2026-03-06T00:00:00')).toISOString(), overdueHours: 12, overdueWorkingDays: 1 }], nextCursor: null });
    // xihaike sees its side of both: the stuck case past its acceptance hop since 03-03 09:30, the other past its deadline.
    expect((await overdue('xihaike')).json.cases).toMatchObject([{ ref: stuck.xh, side: 'handling', late: 'hop' }, { ref: main.xh, side: 'handling', late: 'deadline' }]);
  });

  it('the decision ends the deadline and starts the shipping hop: the case leaves the list', async () => {
    m.clock.set(at('2026-03-06T14:00:00'));
    await event('xihaike', main.xh, { type: 'decided', data: { outcome: 'approved' } });
    expect(await clocks('gaoxin', main.gx)).toMatchObject({ state: 'decided', hopStartedAt: at('2026-03-06T14:00:00'), hopDueAt: at('2026-03-06T14:00:00') + SLA_HOURS.ship * HOUR });
    await event('xihaike', main.xh, { type: 'result_issued' });
    // The same hop (ship) keeps running through result_issued.
    expect(await clocks('xihaike', main.xh)).toMatchObject({ state: 'result_issued', hopStartedAt: at('2026-03-06T14:00:00') });
    expect((await overdue('gaoxin')).json.cases).toMatchObject([{ ref: stuck.gx }]);
    expect((await overdue('xihaike')).json.cases).toMatchObject([{ ref: stuck.xh }]);
  });

  it('a case without a next hop has no hop clock', async () => {
    await event('xihaike', stuck.xh, { type: 'rejected', note: '不符合条件' });
    expect(await clocks('gaoxin', stuck.gx)).toMatchObject({ state: 'rejected', hopStartedAt: null, hopDueAt: null });
    expect((await overdue('gaoxin')).json.cases).toEqual([]);
  });
});

describe('GET /api/v1/supervision/overdue: who may ask, and bad input', () => {
  it('is for supervisors: other roles are 403, no token 401', async () => {
    const r = await m.api('gaoxin', tokens.intake, 'GET', '/api/v1/supervision/overdue');
    expect(r).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
    expect((await m.api('xihaike', tokens.handling, 'GET', '/api/v1/supervision/overdue')).status).toBe(403);
    expect((await m.gw.gaoxin.app.request('https://gaoxin.example.test/api/v1/supervision/overdue')).status).toBe(401);
  });

  it('a bad limit or cursor is 400 naming it', async () => {
    expect(await overdue('gaoxin', '?limit=0')).toMatchObject({ status: 400, json: { code: 'invalid_request', errors: [{ path: 'limit' }] } });
    expect(await overdue('gaoxin', '?cursor=bm90LWEtY3Vyc29y')).toMatchObject({ status: 400, json: { code: 'invalid_request', errors: [{ path: 'cursor' }] } });
  });

  it("another member's supervisor never sees this member's cases", async () => {
    m.clock.set(at('2026-03-20T12:00:00'));
    const gx = (await overdue('gaoxin')).json.cases as { ref: string }[];
    expect(gx.map((c) => c.ref)).not.toContain(main.xh);
    const xh = (await overdue('xihaike')).json.cases as { ref: string }[];
    expect(xh.map((c) => c.ref)).toEqual([main.xh]);
  });
});
