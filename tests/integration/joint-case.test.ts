import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { caseEvents, cases, outboxMessages } from '../../src/db/schema/index';
import { seedDefaultCatalog } from '../../src/entry/node/catalog';
import type { Gateway } from '../../src/gateway';
import { systemClock } from '../../src/lib/clock';
import { utf8 } from '../../src/lib/encoding';
import { randomIds } from '../../src/lib/ids';
import { dbCatalogReader } from '../../src/services/catalog/catalog-in-force';
import { addClerk } from '../../src/services/clerks/add-clerk';
import type { ClerkRole } from '../../src/services/clerks/schema';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { inProcessFetch, startTestGateway } from '../support/gateway';
import { postSigned } from '../support/signed';

// 户口迁移（工作调动）: offered only as joint handling (多地联办) in partners/catalog/items.json.
const ITEM = 'KS-HJ-002';
const MATERIALS = ['id-card', 'household-register', 'transfer-order', 'transfer-paper'];
const ENDPOINTS = { gaoxin: 'https://gaoxin.example.test', xihaike: 'https://xihaike.example.test', 'chengdu-gx': 'https://chengdu-gx.example.test' } as const;
type Member = keyof typeof ENDPOINTS;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Step = { id: string; member: string; dependsOn?: string[] };

let alliance: TestAlliance;
const dbs = {} as Record<Member, TestDatabase>;
const gw = {} as Record<Member, Gateway>;
const routes: Record<string, Gateway> = {};
const tokens = {} as Record<Member, string>;

async function clerk(member: Member, role: ClerkRole) {
  const { token } = await addClerk({ ctx: { db: dbs[member].database.db, clock: systemClock, ids: randomIds }, input: { name: `${member} ${role}`, window: 'kuayu-1', role, windows: null } });
  return token;
}

beforeAll(async () => {
  alliance = await createTestAlliance([...Object.entries(ENDPOINTS).map(([id, endpoint]) => ({ id, endpoint })), { id: 'qingdao', endpoint: 'https://qingdao.example.test' }]);
  alliance.members.get('xihaike')!.items = [{ code: ITEM, modes: ['joint'] }];
  alliance.members.get('chengdu-gx')!.items = [{ code: ITEM, modes: ['joint'] }];
  // Lists the item, but not for joint handling.
  alliance.members.get('qingdao')!.items = [{ code: ITEM, modes: ['proxy_intake'] }];
  const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
  const fetch = inProcessFetch(routes);
  for (const id of Object.keys(ENDPOINTS) as Member[]) {
    dbs[id] = await createTestDatabase();
    await seedDefaultCatalog(dbs[id].database.db);
    gw[id] = await startTestGateway({ alliance, memberId: id, database: dbs[id].database, clock: systemClock, registry: () => registry, catalog: dbCatalogReader(dbs[id].database.db), fetch });
    routes[ENDPOINTS[id]] = gw[id];
    tokens[id] = await clerk(id, id === 'gaoxin' ? 'intake' : 'handling');
  }
});

afterAll(async () => { await Promise.all(Object.values(dbs).map((d) => d.drop())); });

async function api(member: Member, method: 'GET' | 'POST', path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${tokens[member]}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await gw[member].app.request(ENDPOINTS[member] + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Json };
}

const newCase = (steps?: Step[], over: Json = {}) => ({
  itemCode: ITEM, mode: 'joint',
  applicant: { kind: 'person', name: '张三', idType: 'resident_id', idNumber: '370211199202021234' },
  identityCheck: { method: 'id_card_reader', result: 'passed' },
  delivery: { method: 'window' }, consent: { dataSharing: true, at: '2026-11-28T08:59:00+08:00' },
  ...(steps ? { steps } : {}),
  ...over,
});

/** A joint case taken in at gaoxin with every material, ready to transfer. */
async function jointCase(steps: Step[]): Promise<{ ref: string; caseId: string }> {
  const r = await api('gaoxin', 'POST', '/api/v1/cases', newCase(steps));
  expect(r.status).toBe(201);
  for (const requirement of MATERIALS) {
    const content = Buffer.from(`%PDF ${requirement}`).toString('base64');
    expect((await api('gaoxin', 'POST', `/api/v1/cases/${r.json.ref}/materials`, { requirement, name: requirement, mediaType: 'application/pdf', content })).status).toBe(201);
  }
  return { ref: r.json.ref as string, caseId: r.json.caseId as string };
}

/** Runs a member's outbox until nothing is due. */
async function drain(member: Member): Promise<string[]> {
  const results: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await gw[member].outbox.runOnce();
    if (!r.length) break;
    results.push(...r);
  }
  return results;
}

/** The handling case a member holds for a step of gaoxin's joint case, if any. */
async function handlingCase(member: Member, caseId: string, step: string) {
  const [row] = await dbs[member].database.db.select().from(cases)
    .where(and(eq(cases.role, 'handling'), eq(cases.intakeMember, 'gaoxin'), eq(cases.intakeCaseId, caseId), eq(cases.step, step)));
  return row ?? null;
}

/** The handling member's clerk moves its case; its outbox carries the event to gaoxin. */
async function handle(member: Member, ref: string, event: Json) {
  const r = await api(member, 'POST', `/api/v1/cases/${ref}/events`, event);
  expect(r.status).toBe(200);
  expect(await drain(member)).toEqual(['delivered']);
}

const approve = async (member: Member, ref: string) => {
  await handle(member, ref, { type: 'accepted' });
  await handle(member, ref, { type: 'decided', data: { outcome: 'approved', documentNo: '准迁字〔2026〕8号' } });
};

const view = async (ref: string) => (await api('gaoxin', 'GET', `/api/v1/cases/${ref}`)).json;
const stepOf = (v: Json, id: string) => (v.steps as Json[]).find((s) => s.id === id)!;

describe('joint handling (多地联办): steps in order', () => {
  // 户口迁移: the destination issues the 准迁证 (zqz), then the origin completes the move (qc).
  const steps = [{ id: 'zqz', member: 'chengdu-gx', dependsOn: [] }, { id: 'qc', member: 'xihaike', dependsOn: ['zqz'] }];
  let c: { ref: string; caseId: string };

  it('takes in the case with its plan: every step pending', async () => {
    c = await jointCase(steps);
    const v = await view(c.ref);
    expect(v).toMatchObject({ mode: 'joint', state: 'intake', handlingMember: null });
    expect(v.steps).toEqual([
      expect.objectContaining({ id: 'zqz', member: 'chengdu-gx', dependsOn: [], state: 'pending', ref: null }),
      expect.objectContaining({ id: 'qc', member: 'xihaike', dependsOn: ['zqz'], state: 'pending', ref: null }),
    ]);
  });

  it('sends the first step only; the receipt lands on its own case', async () => {
    const t = await api('gaoxin', 'POST', `/api/v1/cases/${c.ref}/transfer`);
    expect(t).toMatchObject({ status: 202, json: { ref: c.ref, state: 'transferring', steps: [{ step: 'zqz', to: 'chengdu-gx', ref: expect.stringMatching(/^cs_/), messageId: expect.stringMatching(/^ob_/) }] } });
    const [queued] = await dbs.gaoxin.database.db.select().from(outboxMessages).where(eq(outboxMessages.id, t.json.steps[0].messageId as string));
    expect(queued).toMatchObject({ kind: 'case_transfer', targetMember: 'chengdu-gx', bodySealed: true });
    expect(Buffer.from(queued!.body).toString('utf8')).not.toContain('370211199202021234');
    expect(await drain('gaoxin')).toEqual(['delivered']);
    const zqz = await handlingCase('chengdu-gx', c.caseId, 'zqz');
    expect(zqz).toMatchObject({ mode: 'joint', step: 'zqz', jointId: c.caseId, state: 'received' });
    expect(await handlingCase('xihaike', c.caseId, 'qc')).toBeNull();
    const v = await view(c.ref);
    expect(v.state).toBe('received');
    expect(stepOf(v, 'zqz')).toMatchObject({ state: 'running', status: 'received', remoteRef: zqz!.ref, receiptId: zqz!.receiptId });
    expect(stepOf(v, 'qc')).toMatchObject({ state: 'pending', ref: null });
    const child = await view(stepOf(v, 'zqz').ref as string);
    expect(child).toMatchObject({ parentRef: c.ref, step: 'zqz', handlingMember: 'chengdu-gx', state: 'received' });
  });

  it('accepting the first step sends nothing; approving it sends the second', async () => {
    const zqz = (await handlingCase('chengdu-gx', c.caseId, 'zqz'))!;
    await handle('chengdu-gx', zqz.ref, { type: 'accepted' });
    expect(await drain('gaoxin')).toEqual([]);
    expect(await handlingCase('xihaike', c.caseId, 'qc')).toBeNull();
    await handle('chengdu-gx', zqz.ref, { type: 'decided', data: { outcome: 'approved', documentNo: '准迁字〔2026〕8号' } });
    expect(await drain('gaoxin')).toEqual(['delivered']);
    const qc = await handlingCase('xihaike', c.caseId, 'qc');
    expect(qc).toMatchObject({ mode: 'joint', step: 'qc', jointId: c.caseId, state: 'received' });
    expect(qc!.receiptId).not.toBe(zqz.receiptId);
    const v = await view(c.ref);
    expect(v.state).toBe('received');
    expect(stepOf(v, 'zqz')).toMatchObject({ state: 'done', status: 'decided' });
    expect(stepOf(v, 'qc')).toMatchObject({ state: 'running', remoteRef: qc!.ref, receiptId: qc!.receiptId });
  });

  it('the last step approved decides the joint case (approved), and its timeline tells the story', async () => {
    const qc = (await handlingCase('xihaike', c.caseId, 'qc'))!;
    await approve('xihaike', qc.ref);
    expect(await drain('gaoxin')).toEqual([]);
    const v = await view(c.ref);
    expect(v.state).toBe('decided');
    expect((v.steps as Json[]).map((s) => s.state)).toEqual(['done', 'done']);
    const [parent] = await dbs.gaoxin.database.db.select().from(cases).where(eq(cases.ref, c.ref));
    expect(parent!.stateDetail).toMatchObject({ status: 'decided', outcome: 'approved' });
    const t = await api('gaoxin', 'GET', `/api/v1/cases/${c.ref}/timeline`);
    expect(t.status).toBe(200);
    expect((t.json.timeline as Json[]).map((e) => `${e.type}:${e.data?.step ?? ''}`).sort()).toEqual(
      ['joint_completed:', 'joint_step_done:qc', 'joint_step_done:zqz', 'joint_step_sent:qc', 'joint_step_sent:zqz'],
    );
  });

  it('lists the joint case once: its steps are not listed', async () => {
    const list = (await api('gaoxin', 'GET', '/api/v1/cases')).json as unknown as Json[];
    expect(list.filter((x) => x.caseId === c.caseId).map((x) => x.ref)).toEqual([c.ref]);
  });
});

describe('joint handling: steps in parallel', () => {
  it('sends every step with no dependency at once, two of them to the same member', async () => {
    const c = await jointCase([{ id: 'a', member: 'xihaike' }, { id: 'b', member: 'chengdu-gx' }, { id: 'c', member: 'xihaike' }]);
    const t = await api('gaoxin', 'POST', `/api/v1/cases/${c.ref}/transfer`);
    expect(t.status).toBe(202);
    expect((t.json.steps as Json[]).map((s) => `${s.step}>${s.to}`)).toEqual(['a>xihaike', 'b>chengdu-gx', 'c>xihaike']);
    expect(await drain('gaoxin')).toEqual(['delivered', 'delivered', 'delivered']);
    const [a, b, cc] = [await handlingCase('xihaike', c.caseId, 'a'), await handlingCase('chengdu-gx', c.caseId, 'b'), await handlingCase('xihaike', c.caseId, 'c')];
    expect(a!.ref).not.toBe(cc!.ref);
    expect(new Set([a!.receiptId, b!.receiptId, cc!.receiptId]).size).toBe(3);
    for (const [m, row] of [['xihaike', a], ['chengdu-gx', b], ['xihaike', cc]] as const) await approve(m, row!.ref);
    const v = await view(c.ref);
    expect(v.state).toBe('decided');
    expect((v.steps as Json[]).map((s) => s.state)).toEqual(['done', 'done', 'done']);
  });
});

describe('joint handling: a failed step', () => {
  it('stops its dependants, which are never sent, and the joint case says why', async () => {
    const c = await jointCase([{ id: 'zqz', member: 'xihaike' }, { id: 'qc', member: 'chengdu-gx', dependsOn: ['zqz'] }, { id: 'luohu', member: 'chengdu-gx', dependsOn: ['qc'] }]);
    expect((await api('gaoxin', 'POST', `/api/v1/cases/${c.ref}/transfer`)).status).toBe(202);
    expect(await drain('gaoxin')).toEqual(['delivered']);
    const zqz = (await handlingCase('xihaike', c.caseId, 'zqz'))!;
    await handle('xihaike', zqz.ref, { type: 'rejected', note: '不符合迁入条件' });
    expect(await drain('gaoxin')).toEqual([]);
    expect(await handlingCase('chengdu-gx', c.caseId, 'qc')).toBeNull();
    const sent = await dbs.gaoxin.database.db.select().from(outboxMessages).where(eq(outboxMessages.targetMember, 'chengdu-gx'));
    const childRefs = (await dbs.gaoxin.database.db.select().from(cases).where(eq(cases.parentRef, c.ref))).map((r) => r.ref);
    expect(childRefs).toHaveLength(1);
    expect(sent.filter((m) => childRefs.includes(m.caseRef ?? ''))).toEqual([]);

    const v = await view(c.ref);
    expect(v.state).toBe('rejected');
    expect(stepOf(v, 'zqz')).toMatchObject({ state: 'failed', status: 'rejected', reason: expect.stringContaining('不符合迁入条件') });
    expect(stepOf(v, 'qc')).toMatchObject({ state: 'blocked', ref: null, reason: expect.stringContaining('zqz') });
    expect(stepOf(v, 'luohu')).toMatchObject({ state: 'blocked', ref: null });
    const t = (await api('gaoxin', 'GET', `/api/v1/cases/${c.ref}/timeline`)).json;
    expect(t.timeline).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'joint_step_failed', side: 'intake', sender: 'gaoxin', status: 'rejected', data: expect.objectContaining({ step: 'zqz', reason: expect.stringContaining('不符合迁入条件') }) }),
      expect.objectContaining({ type: 'joint_blocked', data: expect.objectContaining({ step: 'qc' }) }),
      expect.objectContaining({ type: 'joint_blocked', data: expect.objectContaining({ step: 'luohu' }) }),
    ]));
  });
});

describe('joint handling: bad plans', () => {
  const countIntake = async () => (await dbs.gaoxin.database.db.select().from(cases).where(eq(cases.role, 'intake'))).length;
  const refused = async (body: unknown) => {
    const before = await countIntake();
    const r = await api('gaoxin', 'POST', '/api/v1/cases', body);
    expect(r).toMatchObject({ status: 400, json: { code: 'invalid_request' } });
    expect(await countIntake()).toBe(before);
    return (r.json.errors as { path: string }[]).map((e) => e.path).sort();
  };

  it('a cycle, an unknown dependency, an unknown member, ourselves or a member not offering joint: 400 naming each field, nothing saved', async () => {
    expect(await refused(newCase([{ id: 'a', member: 'xihaike', dependsOn: ['b'] }, { id: 'b', member: 'chengdu-gx', dependsOn: ['a'] }])))
      .toEqual(['steps[0].dependsOn', 'steps[1].dependsOn']);
    expect(await refused(newCase([{ id: 'a', member: 'xihaike' }, { id: 'b', member: 'chengdu-gx', dependsOn: ['nope'] }]))).toEqual(['steps[1].dependsOn']);
    expect(await refused(newCase([{ id: 'a', member: 'nowhere' }, { id: 'b', member: 'qingdao', dependsOn: ['a'] }]))).toEqual(['steps[0].member', 'steps[1].member']);
    expect(await refused(newCase([{ id: 'a', member: 'gaoxin' }, { id: 'a', member: 'xihaike' }]))).toEqual(['steps[0].member', 'steps[1].id']);
  });

  it('steps off their shape, missing for joint, or given for another mode: 400', async () => {
    expect(await refused(newCase([{ id: 'A!', member: 'xihaike' }]))).toEqual(['steps', 'steps[0].id']);
    expect(await refused(newCase())).toEqual(['steps']);
    expect(await refused(newCase([{ id: 'a', member: 'xihaike' }, { id: 'b', member: 'chengdu-gx' }], { itemCode: 'KS-GJJ-003', mode: 'proxy_intake' }))).toContain('steps');
  });

  it('a joint case goes to its steps\' members: `to` is refused', async () => {
    const c = await jointCase([{ id: 'a', member: 'xihaike' }, { id: 'b', member: 'chengdu-gx' }]);
    expect(await api('gaoxin', 'POST', `/api/v1/cases/${c.ref}/transfer`, { to: 'xihaike' })).toMatchObject({ status: 400, json: { errors: [{ path: 'to' }] } });
    expect((await view(c.ref)).state).toBe('intake');
  });
});

describe('joint handling: the receiving side (§7.1)', () => {
  it('a joint transfer without step and jointId is 400', async () => {
    const content = utf8('%PDF 准迁证');
    const digest = createHash('sha256').update(content).digest('hex');
    const res = await postSigned({ alliance, from: 'gaoxin', to: 'xihaike', url: `${ENDPOINTS.xihaike}/federation/v1/cases`, app: gw.xihaike.app, body: {
      caseId: 'GX-JOINT-0001', itemCode: ITEM, mode: 'joint',
      applicant: { kind: 'person', name: '张三', idType: 'resident_id', idNumber: '370211199202021234' },
      intake: { member: 'gaoxin', window: 'kuayu-1', clerk: 'clerk-1', receivedAt: '2026-11-28T09:00:00+08:00', identityCheck: { method: 'id_card_reader', result: 'passed' } },
      materials: [{ requirement: 'id-card', name: '居民身份证', mediaType: 'application/pdf', size: content.length, sha256: digest, content: Buffer.from(content).toString('base64') }],
      delivery: { method: 'window' }, consent: { dataSharing: true, at: '2026-11-28T08:59:00+08:00' },
    } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_request', errors: [{ path: 'step' }] });
    const events = await dbs.xihaike.database.db.select().from(caseEvents);
    expect(events.every((e) => !e.type.startsWith('joint_'))).toBe(true);
  });
});
