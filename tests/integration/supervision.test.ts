import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessage } from '../../src/federation/outbox/enqueue';
import { claimDue, markDead } from '../../src/federation/outbox/store';
import { randomIds } from '../../src/lib/ids';
import { twoMembers, type TwoMembers } from '../support/two-members';

const T0 = Date.parse('2026-03-02T09:00:00+08:00');
const SECRET = '370211199202021234';

let m: TwoMembers;
let tokens: Record<'supervisor' | 'intake' | 'xhSupervisor', string>;
const dead: string[] = [];
let pending: string;

/** Queues a message to xihaike and, unless `keep`, makes it dead as a final 4xx answer would. */
async function message(path: string, keep = false): Promise<string> {
  const db = m.dbs.gaoxin.database.db;
  // The pending one belongs to another case: a case's messages to a member may go one at a time.
  const caseRef = keep ? 'cs_BBBBBBBBBBBBBBBB' : 'cs_AAAAAAAAAAAAAAAA';
  const queued = await enqueueMessage(db, { kind: 'case_event', caseRef, to: 'xihaike', method: 'POST', path, body: { note: `applicant ${SECRET}` } }, { ids: randomIds, clock: m.clock });
  m.clock.advance(1000);
  if (keep) return queued.id;
  const [claimed] = await claimDue(db, { now: new Date(m.clock.now()), leaseMs: 60_000, limit: 1 });
  expect(claimed?.id).toBe(queued.id);
  expect(await markDead(db, claimed!, { now: new Date(m.clock.now()), status: 400, error: 'invalid_request: the body is not valid' })).toBe(true);
  return queued.id;
}

beforeAll(async () => {
  m = await twoMembers(T0);
  tokens = { supervisor: await m.clerk('gaoxin', 'supervisor'), intake: await m.clerk('gaoxin', 'intake'), xhSupervisor: await m.clerk('xihaike', 'supervisor') };
  for (let i = 0; i < 3; i++) dead.push(await message('/federation/v1/ping'));
  pending = await message('/federation/v1/ping', true);
});

afterAll(async () => { await m?.drop(); });

const get = (query: string, token = tokens.supervisor) => m.api('gaoxin', token, 'GET', `/api/v1/outbox${query}`);
const retry = (id: string, token = tokens.supervisor, member: 'gaoxin' | 'xihaike' = 'gaoxin') => m.api(member, token, 'POST', `/api/v1/outbox/${id}/retry`);

describe('GET /api/v1/outbox: the dead messages, for supervisors', () => {
  it('lists dead messages newest first, with why they died, never their bodies', async () => {
    const r = await get('?status=dead');
    expect(r.status).toBe(200);
    expect((r.json.messages as { id: string }[]).map((x) => x.id)).toEqual([...dead].reverse());
    expect(r.json.messages[0]).toEqual({
      id: dead[2], kind: 'case_event', caseRef: 'cs_AAAAAAAAAAAAAAAA', to: 'xihaike', status: 'dead', attempts: 1, lastStatus: 400,
      lastError: 'invalid_request: the body is not valid', createdAt: expect.any(String), nextAttemptAt: expect.any(String), deadAt: expect.any(String),
    });
    expect(JSON.stringify(r.json)).not.toContain(SECRET);
    expect(r.json.nextCursor).toBeNull();
    expect((await get('?status=pending')).json.messages).toMatchObject([{ id: pending, status: 'pending', attempts: 0 }]);
  });

  it('pages with limit and cursor', async () => {
    const first = await get('?status=dead&limit=2');
    expect((first.json.messages as { id: string }[]).map((x) => x.id)).toEqual([dead[2], dead[1]]);
    const second = await get(`?status=dead&limit=2&cursor=${first.json.nextCursor}`);
    expect(second.json).toMatchObject({ messages: [{ id: dead[0] }], nextCursor: null });
    expect((await get('')).json.messages).toHaveLength(4);
  });

  it('bad input is 400 naming the parameter; other roles 403', async () => {
    expect(await get('?status=lost')).toMatchObject({ status: 400, json: { code: 'invalid_request', errors: [{ path: 'status' }] } });
    expect(await get('?limit=5000')).toMatchObject({ status: 400, json: { errors: [{ path: 'limit' }] } });
    expect(await get('?cursor=x')).toMatchObject({ status: 400, json: { errors: [{ path: 'cursor' }] } });
    expect(await get('?status=dead', tokens.intake)).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
  });
});

describe('POST /api/v1/outbox/{id}/retry', () => {
  it('makes a dead message due now; the worker delivers it', async () => {
    const r = await retry(dead[0]!);
    expect(r).toMatchObject({ status: 200, json: { id: dead[0], status: 'pending', attempts: 1, deadAt: null, nextAttemptAt: new Date(m.clock.now()).toISOString() } });
    expect(JSON.stringify(r.json)).not.toContain(SECRET);
    expect((await m.gw.gaoxin.outbox.runOnce()).sort()).toEqual(['delivered', 'delivered']);
    expect((await get('?status=delivered')).json.messages).toMatchObject([{ id: pending }, { id: dead[0], attempts: 2, lastStatus: 200 }]);
  });

  it('a message that is not dead is 409; an unknown one 404; a malformed id 400', async () => {
    expect(await retry(dead[0]!)).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    expect(await retry('ob_AAAAAAAAAAAAAAAA')).toMatchObject({ status: 404, json: { code: 'not_found' } });
    expect(await retry('not-an-id')).toMatchObject({ status: 400, json: { errors: [{ path: 'id' }] } });
  });

  it('is for supervisors of this member: other roles 403, another member\'s supervisor does not know the message', async () => {
    expect(await retry(dead[1]!, tokens.intake)).toMatchObject({ status: 403, json: { code: 'not_authorized' } });
    expect(await retry(dead[1]!, tokens.xhSupervisor, 'xihaike')).toMatchObject({ status: 404 });
    expect((await get('?status=dead')).json.messages).toHaveLength(2);
  });
});
