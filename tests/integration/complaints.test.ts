import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintEvents, complaints } from '../../src/db/schema/index';
import { escalateOverdueComplaints } from '../../src/services/complaints/escalate-complaints';
import { complaintCtxOf, maskPhone } from '../../src/services/complaints/rules';
import { recordingLogger } from '../support/backoffice';
import { twoMembers, type TwoMembers } from '../support/two-members';

/** Monday 2026-03-02 09:00 in Beijing; 5 working days to reply (the default): due at the end of Monday 03-09. */
const T0 = Date.parse('2026-03-02T09:00:00+08:00');
const at = (s: string) => Date.parse(`${s}+08:00`);
const iso = (s: string) => new Date(at(s)).toISOString();
const CONTENT = '窗口工作人员态度生硬，材料被退回三次，没有一次性告知';
const PHONE = '13812345678';

let m: TwoMembers;
let tokens: Record<'intake' | 'handling' | 'supervisor' | 'xhSupervisor', string>;

beforeAll(async () => {
  m = await twoMembers(T0);
  tokens = {
    intake: await m.clerk('gaoxin', 'intake'), handling: await m.clerk('gaoxin', 'handling'),
    supervisor: await m.clerk('gaoxin', 'supervisor'), xhSupervisor: await m.clerk('xihaike', 'supervisor'),
  };
});

afterAll(async () => { await m?.drop(); });

const api = (method: 'GET' | 'POST', path: string, body?: unknown, token = tokens.intake) => m.api('gaoxin', token, method, `/api/v1/complaints${path}`, body);
const complaint = (over: object = {}) => ({
  channel: 'window', category: 'attitude', subject: '窗口服务态度', content: CONTENT,
  complainant: { name: '王五', phone: PHONE }, caseRef: 'cs_AAAAAAAAAAAAAAAA', windowId: 'kuayu-1', ...over,
});
const rawRow = async (id: string) => (await m.dbs.gaoxin.database.db.select().from(complaints).where(eq(complaints.id, id)))[0]!;

describe('POST /api/v1/complaints: 统一受理', () => {
  let id: string;

  it('takes a complaint from any clerk: open, due at the end of the 5th working day, the phone masked', async () => {
    const r = await api('POST', '', complaint());
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json).toEqual({
      id: expect.stringMatching(/^cp_/), channel: 'window', category: 'attitude', subject: '窗口服务态度', content: CONTENT,
      complainant: { name: '王五', phoneMasked: '138****5678' }, caseRef: 'cs_AAAAAAAAAAAAAAAA', windowId: 'kuayu-1',
      state: 'open', receivedAt: new Date(T0).toISOString(), replyDueAt: iso('2026-03-10T00:00:00'), overdue: false,
      escalationLevel: 0, escalatedAt: null, repliedAt: null, reply: null, closedAt: null, createdBy: expect.stringMatching(/^ck_/),
      events: [{ type: 'received', at: new Date(T0).toISOString(), actor: r.json.createdBy, level: null }],
    });
    expect(JSON.stringify(r.json)).not.toContain(PHONE);
    id = r.json.id as string;
  });

  it('seals the content and the phone at rest: the row holds neither in clear', async () => {
    const row = await rawRow(id);
    expect(row.contentSealed).toMatch(/^v1\./);
    expect(row.complainantPhoneSealed).toMatch(/^v1\./);
    expect(row.complainantName).toBe('王五');
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(PHONE);
    expect(stored).not.toContain('5678');
    expect(stored).not.toContain('态度生硬');
  });

  it('a letter from the 意见箱 entered later counts from when it was received; without a complainant nothing is masked', async () => {
    const r = await api('POST', '', { channel: 'suggestion_box', category: 'efficiency', subject: '办事慢', content: '等了两个小时', receivedAt: '2026-02-27T18:00:00+08:00' });
    // Friday evening: Saturday 02-28 is a make-up working day (春节调休), so the 5 are 02-28 and 03-02 to Thursday 03-05.
    expect(r).toMatchObject({ status: 201, json: { receivedAt: iso('2026-02-27T18:00:00'), replyDueAt: iso('2026-03-06T00:00:00'), complainant: { name: null, phoneMasked: null }, caseRef: null } });
  });

  it('bad input is 400 naming each field', async () => {
    const r = await api('POST', '', { channel: 'fax', category: 'attitude', subject: 'x'.repeat(101), content: '', complainant: { phone: 'call me' }, caseRef: 'case-1', extra: 1 });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('invalid_request');
    const paths = (r.json.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['channel', 'subject', 'content', 'complainant.phone', 'caseRef']));
    expect(await api('POST', '', complaint({ receivedAt: '2026-03-03T09:00:00+08:00' }))).toMatchObject({ status: 400, json: { errors: [{ path: 'receivedAt' }] } });
    expect(await api('POST', '', complaint({ receivedAt: 'yesterday' }))).toMatchObject({ status: 400, json: { errors: [{ path: 'receivedAt' }] } });
    expect(await api('POST', '', complaint({ receivedAt: '0001-01-01T00:00:00Z' }))).toMatchObject({ status: 400, json: { errors: [{ path: 'receivedAt' }] } });
    // Subject and name are kept in clear: no control characters (PostgreSQL text refuses NUL).
    expect(await api('POST', '', complaint({ subject: 'a\u0000b', complainant: { name: '王\n五' } }))).toMatchObject({ status: 400, json: { errors: [{ path: 'subject' }, { path: 'complainant.name' }] } });
  });

  it('without a token 401', async () => {
    const res = await m.gw.gaoxin.app.request('https://gaoxin.example.test/api/v1/complaints', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(complaint()) });
    expect(res.status).toBe(401);
    expect((await m.gw.gaoxin.app.request('https://gaoxin.example.test/api/v1/complaints')).status).toBe(401);
  });
});

describe('reply and close: open -> replied -> closed', () => {
  let id: string;

  it('any clerk replies to an open complaint; the reply is sealed, a second reply is 409', async () => {
    id = (await api('POST', '', complaint({ channel: 'hotline', category: 'process' }))).json.id as string;
    m.clock.set(at('2026-03-03T10:00:00'));
    const r = await api('POST', `/${id}/reply`, { reply: '已核实并向您致歉，已对窗口人员进行批评教育' }, tokens.handling);
    expect(r).toMatchObject({ status: 200, json: { id, state: 'replied', repliedAt: iso('2026-03-03T10:00:00'), reply: '已核实并向您致歉，已对窗口人员进行批评教育', overdue: false } });
    expect((r.json.events as { type: string }[]).map((e) => e.type)).toEqual(['received', 'replied']);
    const row = await rawRow(id);
    expect(row.replySealed).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain('批评教育');
    expect(row.nextEscalationAt).toBeNull();
    expect(await api('POST', `/${id}/reply`, { reply: '再次回复' })).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
  });

  it('only a supervisor closes, and only a replied complaint', async () => {
    expect(await api('POST', `/${id}/close`, undefined, tokens.intake)).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
    const open = (await api('POST', '', complaint())).json.id as string;
    expect(await api('POST', `/${open}/close`, undefined, tokens.supervisor)).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    const r = await api('POST', `/${id}/close`, undefined, tokens.supervisor);
    expect(r).toMatchObject({ status: 200, json: { state: 'closed', closedAt: iso('2026-03-03T10:00:00') } });
    expect(r.json.events).toMatchObject([{ type: 'received' }, { type: 'replied' }, { type: 'closed', level: null }]);
    expect(await api('POST', `/${id}/close`, undefined, tokens.supervisor)).toMatchObject({ status: 409 });
  });

  it('bad bodies and ids are 400; unknown ids 404, also another member\'s complaint', async () => {
    expect(await api('POST', `/${id}/reply`, { reply: '' })).toMatchObject({ status: 400, json: { errors: [{ path: 'reply' }] } });
    expect(await api('POST', `/${id}/reply`, {})).toMatchObject({ status: 400, json: { errors: [{ path: 'reply' }] } });
    expect(await api('GET', '/not-an-id')).toMatchObject({ status: 400, json: { errors: [{ path: 'id' }] } });
    expect(await api('GET', '/cp_AAAAAAAAAAAAAAAA')).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect(await api('POST', '/cp_AAAAAAAAAAAAAAAA/reply', { reply: '好' })).toMatchObject({ status: 404 });
    expect(await m.api('xihaike', tokens.xhSupervisor, 'GET', `/api/v1/complaints/${id}`)).toMatchObject({ status: 404 });
  });
});

describe('GET /api/v1/complaints: filters and pages', () => {
  it('lists the newest received first, without events, filtered by state, channel, category', async () => {
    const all = await api('GET', '');
    expect(all.status).toBe(200);
    const list = all.json.complaints as { receivedAt: string; events?: unknown; complainant: { phoneMasked: string | null } }[];
    expect(list).toHaveLength(4);
    expect(list.map((c) => c.receivedAt)).toEqual([...list.map((c) => c.receivedAt)].sort().reverse());
    expect(list.every((c) => c.events === undefined)).toBe(true);
    expect(JSON.stringify(all.json)).not.toContain(PHONE);
    expect((await api('GET', '?state=closed')).json.complaints).toMatchObject([{ channel: 'hotline', category: 'process', state: 'closed' }]);
    expect((await api('GET', '?channel=suggestion_box')).json.complaints).toMatchObject([{ subject: '办事慢' }]);
    expect((await api('GET', '?category=attitude&state=open')).json.complaints).toHaveLength(2);
  });

  it('overdue=true: open ones past their reply date', async () => {
    // The 意见箱 letter was due by the end of 03-05; the others by the end of 03-09 or later.
    m.clock.set(at('2026-03-06T08:00:00'));
    expect((await api('GET', '?overdue=true')).json.complaints).toMatchObject([{ subject: '办事慢', overdue: true }]);
    m.clock.set(at('2026-03-03T10:00:00'));
    expect((await api('GET', '?overdue=true')).json.complaints).toEqual([]);
  });

  it('pages with limit and cursor', async () => {
    const first = await api('GET', '?limit=3');
    expect(first.json.complaints).toHaveLength(3);
    const second = await api('GET', `?limit=3&cursor=${first.json.nextCursor}`);
    expect(second.json).toMatchObject({ complaints: [{ subject: '办事慢' }], nextCursor: null });
  });

  it('bad filters are 400 naming them', async () => {
    expect(await api('GET', '?state=lost')).toMatchObject({ status: 400, json: { errors: [{ path: 'state' }] } });
    expect(await api('GET', '?channel=fax&limit=0')).toMatchObject({ status: 400, json: { errors: expect.arrayContaining([{ path: 'channel', message: expect.any(String) }, { path: 'limit', message: expect.any(String) }]) } });
    expect(await api('GET', '?cursor=bm90LWEtY3Vyc29y')).toMatchObject({ status: 400, json: { errors: [{ path: 'cursor' }] } });
  });
});

describe('escalation by the upkeep (限时回复)', () => {
  it('an unanswered complaint goes up a level once its reply date passes, then once per further reply period', async () => {
    await m.dbs.gaoxin.database.db.delete(complaints);
    m.clock.set(T0);
    const late = (await api('POST', '', complaint())).json.id as string;
    const answered = (await api('POST', '', complaint({ subject: '已回复的投诉' }))).json.id as string;
    expect((await api('POST', `/${answered}/reply`, { reply: '已处理' })).status).toBe(200);

    m.clock.set(at('2026-03-09T23:59:00'));
    expect((await m.gw.gaoxin.purge()).complaintsEscalated).toBe(0);

    m.clock.set(at('2026-03-10T08:00:00'));
    expect((await m.gw.gaoxin.purge()).complaintsEscalated).toBe(1);
    expect((await api('GET', `/${late}`)).json).toMatchObject({
      escalationLevel: 1, escalatedAt: iso('2026-03-10T08:00:00'), overdue: true,
      events: [{ type: 'received' }, { type: 'escalated', actor: 'system', level: 1, at: iso('2026-03-10T08:00:00') }],
    });
    // The next level is due one reply period (5 working days) after the first: the end of Monday 03-16.
    expect((await rawRow(late)).nextEscalationAt?.toISOString()).toBe(iso('2026-03-17T00:00:00'));
    expect((await m.gw.gaoxin.purge()).complaintsEscalated).toBe(0);

    m.clock.set(at('2026-03-16T20:00:00'));
    expect((await m.gw.gaoxin.purge()).complaintsEscalated).toBe(0);
    m.clock.set(at('2026-03-17T00:00:01'));
    expect((await m.gw.gaoxin.purge()).complaintsEscalated).toBe(1);
    const twice = (await api('GET', `/${late}`)).json;
    expect(twice).toMatchObject({ escalationLevel: 2, escalatedAt: iso('2026-03-17T00:00:01') });
    expect((twice.events as { type: string; level: number | null }[]).filter((e) => e.type === 'escalated').map((e) => e.level)).toEqual([1, 2]);

    // Replied in time: never escalated.
    expect((await api('GET', `/${answered}`)).json).toMatchObject({ state: 'replied', escalationLevel: 0, escalatedAt: null, overdue: false });
    const events = await m.dbs.gaoxin.database.db.select().from(complaintEvents).where(eq(complaintEvents.complaintId, answered));
    expect(events.map((e) => e.type).sort()).toEqual(['received', 'replied']);

    // A reply after the escalation stops it.
    expect((await api('POST', `/${late}/reply`, { reply: '迟到的回复' })).json).toMatchObject({ state: 'replied', escalationLevel: 2, overdue: false });
    m.clock.set(at('2026-04-30T12:00:00'));
    expect((await m.gw.gaoxin.purge()).complaintsEscalated).toBe(0);
  });

  it('logs the count only, never what the complaint says or who made it', async () => {
    m.clock.set(T0);
    await api('POST', '', complaint());
    m.clock.set(at('2026-03-11T09:00:00'));
    const { logger, lines } = recordingLogger();
    const result = await escalateOverdueComplaints({ ctx: { ...complaintCtxOf(m.gw.gaoxin.deps), logger } });
    expect(result).toEqual({ escalated: 1 });
    expect(lines).toEqual([{ level: 'info', obj: { escalated: 1 }, msg: 'overdue complaints escalated' }]);
    const logged = JSON.stringify(lines);
    for (const secret of [PHONE, '态度生硬', '王五', '窗口服务态度']) expect(logged).not.toContain(secret);
  });
});

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 digits of a mobile, drops +86, hides most of a short number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('138****5678');
    expect(maskPhone('0532-88881234')).toBe('053****1234');
    expect(maskPhone('12345')).toBe('***45');
  });
});
