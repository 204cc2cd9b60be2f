import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluations } from '../../src/db/schema/index';
import { randomIds } from '../../src/lib/ids';
import { statisticsCsv } from '../../src/services/statistics/csv';
import { DEFINITIONS } from '../../src/services/statistics/definitions';
import type { Statistics } from '../../src/services/statistics/get-statistics';
import { ITEM, POSTED_ITEM, twoMembers, type Member, type TwoMembers } from '../support/two-members';

/**
 * Seven cases from gaoxin (intake) to xihaike (handling), moved by the clerks' events through the real
 * API, the clock only going forward, then evaluation rows:
 *   G  received 2025-12-29, accepted 12-29 11:00, decided 2026-01-05 11:00 (7 days), delivered
 *   A  received 2026-01-20, accepted 01-21 10:00, decided 01-23 22:00 (2.5 days), delivered
 *   B  received 2026-02-01 07:00 Beijing (01-31 UTC), accepted 02-02 09:00, decided 02-03 09:00 (1 day): its shipping hop runs out
 *   C  received 02-02 09:00, never accepted: its acceptance hop runs out
 *   D  received 02-02 10:00 (another item), rejected
 *   E  received 02-02 11:00, accepted 12:00, decided 02-04 12:00 (2 days), delivered
 *   F  taken in 02-05, not transferred
 */
const at = (s: string) => Date.parse(`${s}+08:00`);
const NOW = at('2026-02-10T12:00:00');

let m: TwoMembers;
let tokens: Record<'intake' | 'handling' | 'gxSupervisor' | 'xhSupervisor', string>;
const refs: Record<string, { gx: string; xh: string }> = {};

async function event(member: Member, ref: string, body: object) {
  const r = await m.api(member, member === 'gaoxin' ? tokens.intake : tokens.handling, 'POST', `/api/v1/cases/${ref}/events`, body);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  expect(await m.gw[member].outbox.runOnce()).toEqual(['delivered']);
}

async function step(when: string, fn: () => Promise<unknown>) {
  m.clock.set(at(when));
  await fn();
}

const received = async (name: string, item = ITEM) => { refs[name] = await m.transferredCase(tokens.intake, { method: 'window' }, item); };
const decide = (name: string) => event('xihaike', refs[name]!.xh, { type: 'decided', data: { outcome: 'approved' } });
const deliver = async (name: string) => {
  await event('xihaike', refs[name]!.xh, { type: 'result_issued' });
  await event('gaoxin', refs[name]!.gx, { type: 'delivered' });
};
const accept = (name: string) => event('xihaike', refs[name]!.xh, { type: 'accepted' });

beforeAll(async () => {
  m = await twoMembers(at('2025-12-29T09:00:00'));
  tokens = {
    intake: await m.clerk('gaoxin', 'intake'), handling: await m.clerk('xihaike', 'handling'),
    gxSupervisor: await m.clerk('gaoxin', 'supervisor'), xhSupervisor: await m.clerk('xihaike', 'supervisor'),
  };
  await received('G');
  await step('2025-12-29T11:00:00', () => accept('G'));
  await step('2026-01-05T11:00:00', async () => { await decide('G'); await deliver('G'); });
  await step('2026-01-20T10:00:00', () => received('A'));
  await step('2026-01-21T10:00:00', () => accept('A'));
  await step('2026-01-23T22:00:00', async () => { await decide('A'); await deliver('A'); });
  await step('2026-02-01T07:00:00', () => received('B'));
  await step('2026-02-02T09:00:00', async () => { await received('C'); await accept('B'); });
  await step('2026-02-02T10:00:00', async () => { await received('D', POSTED_ITEM); await event('xihaike', refs.D!.xh, { type: 'rejected', note: '不符合条件' }); });
  await step('2026-02-02T11:00:00', () => received('E'));
  await step('2026-02-02T12:00:00', () => accept('E'));
  await step('2026-02-03T09:00:00', () => decide('B'));
  await step('2026-02-04T12:00:00', async () => { await decide('E'); await deliver('E'); });
  await step('2026-02-05T09:00:00', async () => {
    const f = await m.api('gaoxin', tokens.intake, 'POST', '/api/v1/cases', {
      itemCode: ITEM, mode: 'proxy_intake', applicant: { kind: 'person', name: '赵六', idType: 'resident_id', idNumber: '370211199303031234' },
      identityCheck: { method: 'id_card_reader', result: 'passed' }, delivery: { method: 'window' }, consent: { dataSharing: true, at: new Date(m.clock.now()).toISOString() },
    });
    expect(f.status).toBe(201);
  });
  // Evaluations as the evaluation services store them: on our own case, or forwarded on the handling member's ref.
  const evaluation = (caseRef: string, stage: string, score: number, when: string) => ({
    id: randomIds.make('ev'), caseRef, stage, score, channel: 'pad', commentSealed: null, origin: 'local', recordedBy: null, at: new Date(at(when)), createdAt: new Date(at(when)),
  });
  await m.dbs.gaoxin.database.db.insert(evaluations).values([
    evaluation(refs.G!.gx, 'finished', 1, '2025-12-31T23:00:00'), // before the period
    evaluation(refs.A!.gx, 'finished', 5, '2026-01-24T10:00:00'),
    evaluation(refs.B!.xh, 'accepted', 2, '2026-02-02T12:00:00'), // forwarded: the handling member's ref
    evaluation(refs.D!.gx, 'accepted', 3, '2026-02-01T07:30:00'), // 01-31 23:30 UTC: February in China
  ]);
  m.clock.set(NOW);
});

afterAll(async () => { await m?.drop(); });

const stats = (member: Member, query: string, token = member === 'gaoxin' ? tokens.gxSupervisor : tokens.xhSupervisor) =>
  m.api(member, token, 'GET', `/api/v1/statistics${query}`);

describe('GET /api/v1/statistics', () => {
  it('counts the intake member\'s cases, decisions, overdue cases, handling time and evaluations for the period', async () => {
    const r = await stats('gaoxin', '?from=2026-01-01&to=2026-02-28');
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toEqual({
      from: '2026-01-01', to: '2026-02-28',
      // G was received before the period but decided in it; F is not transferred; B and C are overdue now.
      // Of the 4 decided, A, B (on the handling ref) and G (evaluated before the period) were evaluated: 3/4.
      totals: { cases: 6, finished: 4, overdue: 2, avgHandlingDays: 3.13, evaluations: 3, good: 2, bad: 1, goodRate: 0.6667, activeRate: 0.75 },
      byItem: [
        { itemCode: ITEM, itemName: '购房提取住房公积金', cases: 5, finished: 4, overdue: 2 },
        { itemCode: POSTED_ITEM, itemName: '开具住房公积金个人住房贷款全部还清证明', cases: 1, finished: 0, overdue: 0 },
      ],
      byMember: [{ member: 'xihaike', role: 'intake', cases: 5 }, { member: null, role: 'intake', cases: 1 }],
      byMode: [{ mode: 'proxy_intake', cases: 6 }],
      byMonth: [
        { month: '2026-01', cases: 1, finished: 2, evaluations: 1, good: 1 },
        { month: '2026-02', cases: 5, finished: 2, evaluations: 2, good: 1 },
      ],
      definitions: DEFINITIONS,
    });
  });

  it('the handling member counts its side: the same decisions, no evaluations of its own', async () => {
    const r = await stats('xihaike', '?from=2026-01-01&to=2026-02-28');
    expect(r.json).toMatchObject({
      totals: { cases: 5, finished: 4, overdue: 2, avgHandlingDays: 3.13, evaluations: 0, good: 0, bad: 0, goodRate: null, activeRate: 0 },
      byMember: [{ member: 'gaoxin', role: 'handling', cases: 5 }],
    });
  });

  it('months are China months, and a narrower period keeps only what falls in it', async () => {
    // B was received at 07:00 on 02-01 in Beijing (still 01-31 in UTC): February, not January.
    const feb = await stats('gaoxin', '?from=2026-02-01&to=2026-02-01');
    expect(feb.json).toMatchObject({ totals: { cases: 1, finished: 0, overdue: 1, avgHandlingDays: null, evaluations: 1, good: 1, goodRate: 1, activeRate: null }, byMonth: [{ month: '2026-02', cases: 1 }] });
    const jan = await stats('gaoxin', '?from=2026-01-31&to=2026-01-31');
    expect(jan.json).toMatchObject({ totals: { cases: 0, finished: 0, evaluations: 0, goodRate: null }, byItem: [], byMember: [], byMode: [], byMonth: [{ month: '2026-01', cases: 0, finished: 0, evaluations: 0, good: 0 }] });
  });

  it('by default covers the last 12 months, every month listed', async () => {
    const r = await stats('gaoxin', '');
    expect(r.json).toMatchObject({ from: '2025-03-01', to: '2026-02-10', totals: { cases: 7, finished: 4, evaluations: 4, bad: 2, good: 2, goodRate: 0.5 } });
    const months = r.json.byMonth as { month: string; cases: number }[];
    expect(months.map((x) => x.month)).toEqual(['2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02']);
    expect(months[9]).toEqual({ month: '2025-12', cases: 1, finished: 0, evaluations: 1, good: 0 });
  });

  it('every clerk of the member may read it; without a token 401', async () => {
    expect((await stats('gaoxin', '', tokens.intake)).status).toBe(200);
    expect((await stats('xihaike', '', tokens.handling)).status).toBe(200);
    expect((await m.gw.gaoxin.app.request('https://gaoxin.example.test/api/v1/statistics')).status).toBe(401);
    expect((await m.gw.gaoxin.app.request('https://gaoxin.example.test/api/v1/statistics.csv')).status).toBe(401);
  });

  it('bad dates are 400 naming them', async () => {
    expect(await stats('gaoxin', '?from=2026-02-30')).toMatchObject({ status: 400, json: { code: 'invalid_request', errors: [{ path: 'from' }] } });
    expect(await stats('gaoxin', '?to=yesterday')).toMatchObject({ status: 400, json: { errors: [{ path: 'to' }] } });
    expect(await stats('gaoxin', '?from=2026-03-01&to=2026-02-01')).toMatchObject({ status: 400, json: { errors: [{ path: 'from' }] } });
    expect(await stats('gaoxin', '?from=2016-01-01&to=2026-01-01')).toMatchObject({ status: 400, json: { errors: [{ path: 'from' }] } });
    expect(await stats('gaoxin', '?month=2026-01')).toMatchObject({ status: 400 });
  });
});

describe('GET /api/v1/statistics.csv', () => {
  it('is UTF-8 with a BOM, CRLF lines, Chinese headers, one section per table', async () => {
    const res = await m.gw.gaoxin.app.request('https://gaoxin.example.test/api/v1/statistics.csv?from=2026-01-01&to=2026-02-28', { headers: { authorization: `Bearer ${tokens.intake}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="statistics-2026-01-01-2026-02-28.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const lines = text.slice(1).split('\r\n');
    expect(lines.slice(0, 12)).toEqual([
      '统计期,2026-01-01,2026-02-28',
      '',
      '总计',
      '案件数,办结数,超期数,平均办理天数,评价数,好评数,差评数,好评率,主动评价率',
      '6,4,2,3.13,3,2,1,66.67%,75.00%',
      '',
      '按事项',
      '事项编码,事项名称,案件数,办结数,超期数',
      `${ITEM},购房提取住房公积金,5,4,2`,
      `${POSTED_ITEM},开具住房公积金个人住房贷款全部还清证明,1,0,0`,
      '',
      '按成员',
    ]);
    for (const title of ['按办理方式', '按月', '口径说明']) expect(lines).toContain(title);
    expect(lines).toContain('2026-02,5,2,2,1');
    expect(lines).toContain('异地代收代办,6');
    expect(lines).toContain('（未转办）,收件方（本成员收件，对方办理）,1');
    expect(lines.at(-1)).toBe('');
  });

  it('quotes a field with a comma, a quote or a line break, doubling the quotes', () => {
    const s: Statistics = {
      from: '2026-01-01', to: '2026-01-31',
      totals: { cases: 1, finished: 0, overdue: 0, avgHandlingDays: null, evaluations: 0, good: 0, bad: 0, goodRate: null, activeRate: null },
      byItem: [{ itemCode: 'KS-X-001', itemName: '证明,"补办"\n加急', cases: 1, finished: 0, overdue: 0 }],
      byMember: [], byMode: [], byMonth: [], definitions: DEFINITIONS,
    };
    const csv = statisticsCsv(s);
    expect(csv).toContain('\r\nKS-X-001,"证明,""补办""\n加急",1,0,0\r\n');
    expect(csv).toContain('\r\n1,0,0,,0,0,0,,\r\n');
  });
});
