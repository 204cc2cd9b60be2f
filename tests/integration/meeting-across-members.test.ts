import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
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
import { startFakeLiveKit, type FakeLiveKit } from '../support/fake-livekit/index';
import { inProcessFetch, startTestGateway } from '../support/gateway';
import { postSigned } from '../support/signed';

// The whole §7.3 path between two gateways: gaoxin's clerk starts a meeting on a case xihaike handles,
// the invitation crosses the federation, xihaike's handling clerk joins the LiveKit room with its token.
const ENDPOINTS = { gaoxin: 'https://gaoxin.example.test', xihaike: 'https://xihaike.example.test', 'chengdu-gx': 'https://chengdu.example.test' } as const;
type Member = 'gaoxin' | 'xihaike';
const GX_REF = 'cs_GXmeet0000000001';

let alliance: TestAlliance;
let fake: FakeLiveKit;
const dbs = {} as Record<Member, TestDatabase>;
const gw = {} as Record<Member, Gateway>;
const routes: Record<string, Gateway> = {};
let xhRef: string;
let clerks: Record<'gxIntake' | 'xhHandling' | 'xhSupervisor' | 'xhIntake', string>;

async function clerk(member: Member, role: ClerkRole) {
  const { token } = await addClerk({ ctx: { db: dbs[member].database.db, clock: systemClock, ids: randomIds }, input: { name: `${member} ${role}`, window: 'kuayu-1', role, windows: null } });
  return token;
}

async function api(member: Member, token: string, method: 'GET' | 'POST', path: string) {
  const res = await gw[member].app.request(ENDPOINTS[member] + path, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  fake = await startFakeLiveKit({ autoCreateRooms: false });
  alliance = await createTestAlliance(Object.entries(ENDPOINTS).map(([id, endpoint]) => ({ id, endpoint })));
  alliance.members.get('xihaike')!.items = [{ code: 'KS-GJJ-003', modes: ['proxy_intake'] }];
  const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
  const fetch = inProcessFetch(routes);
  const livekit = { url: fake.url, apiKey: fake.apiKey, apiSecret: fake.apiSecret };
  for (const id of ['gaoxin', 'xihaike'] as const) {
    dbs[id] = await createTestDatabase();
    await seedDefaultCatalog(dbs[id].database.db);
    gw[id] = await startTestGateway({ alliance, memberId: id, database: dbs[id].database, clock: systemClock, registry: () => registry, catalog: dbCatalogReader(dbs[id].database.db), fetch, ...(id === 'gaoxin' ? { meetings: { livekit } } : {}) });
    routes[ENDPOINTS[id]] = gw[id];
  }
  const content = utf8('%PDF 合同');
  const res = await postSigned({ alliance, from: 'gaoxin', to: 'xihaike', url: `${ENDPOINTS.xihaike}/federation/v1/cases`, app: gw.xihaike.app, body: {
    caseId: 'GX-20261128-0009', itemCode: 'KS-GJJ-003', mode: 'proxy_intake',
    applicant: { kind: 'person', name: '李四', idType: 'resident_id', idNumber: '370211199202021234' },
    intake: { member: 'gaoxin', window: 'kuayu-1', clerk: 'clerk-1', receivedAt: '2026-11-28T09:00:00+08:00', identityCheck: { method: 'id_card_reader', result: 'passed' } },
    materials: [{ requirement: 'purchase-contract', name: '购房合同', mediaType: 'application/pdf', size: content.length, sha256: createHash('sha256').update(content).digest('hex'), content: Buffer.from(content).toString('base64') }],
    delivery: { method: 'window' }, consent: { dataSharing: true, at: '2026-11-28T08:59:00+08:00' },
  } });
  expect(res.status).toBe(202);
  xhRef = ((await res.json()) as { caseRef: string }).caseRef;
  // gaoxin's side of the same case, as its intake flow leaves it once the receipt is back.
  await dbs.gaoxin.database.db.execute(sql`insert into cases (ref, role, intake_member, handling_member, intake_case_id, item_code, mode, state, state_detail, remote_ref,
    applicant_kind, applicant_name, applicant_id_type, applicant_id_sealed, applicant_id_masked, intake, delivery, consent, materials_digest, created_at, updated_at)
    values (${GX_REF}, 'intake', 'gaoxin', 'xihaike', 'GX-20261128-0009', 'KS-GJJ-003', 'proxy_intake', 'received',
    ${JSON.stringify({ status: 'received', delivery: 'window', received: true, accepted: false, supplementRequested: false })}::jsonb, ${xhRef},
    'person', '李四', 'resident_id', 'v1.x.y', '370211********1234', ${JSON.stringify({ member: 'gaoxin', window: 'kuayu-1' })}::jsonb, '{"method":"window"}'::jsonb, '{}'::jsonb, 'd', now(), now())`);
  clerks = { gxIntake: await clerk('gaoxin', 'intake'), xhHandling: await clerk('xihaike', 'handling'), xhSupervisor: await clerk('xihaike', 'supervisor'), xhIntake: await clerk('xihaike', 'intake') };
});

afterAll(async () => {
  await fake?.close();
  await Promise.all(Object.values(dbs).map((d) => d.drop()));
});

describe('a meeting across two members (§7.3)', () => {
  it("gaoxin's clerk starts it; xihaike's handling clerk gets the invitation and joins the room with its token, once", async () => {
    const started = await api('gaoxin', clerks.gxIntake, 'POST', `/api/v1/cases/${GX_REF}/meetings`);
    expect(started.status).toBe(201);
    const meeting = started.json.meeting as { id: string; room: string; participants: { identity: string; role: string }[] };
    const remote = meeting.participants.find((p) => p.role === 'remote_clerk')!;
    expect(await gw.gaoxin.outbox.runOnce()).toEqual(['delivered']);

    const listed = await api('xihaike', clerks.xhHandling, 'GET', '/api/v1/meeting-invitations');
    expect(listed.status).toBe(200);
    const invitations = listed.json.invitations as { id: string; caseRef: string; room: string; status: string }[];
    expect(invitations).toMatchObject([{ caseRef: xhRef, room: meeting.room, status: 'pending' }]);
    expect(JSON.stringify(listed.json)).not.toMatch(/eyJ/);
    // An intake clerk of xihaike (not of this case) sees nothing.
    expect((await api('xihaike', clerks.xhIntake, 'GET', '/api/v1/meeting-invitations')).json.invitations).toEqual([]);

    const joined = await api('xihaike', clerks.xhHandling, 'POST', `/api/v1/meeting-invitations/${invitations[0]!.id}/join`);
    expect(joined.status).toBe(200);
    const { token, room, url } = joined.json as { token: string; room: string; url: string };
    expect({ room, url }).toEqual({ room: meeting.room, url: fake.url });
    const claims = decodeJwt(token) as { sub: string; video: Record<string, unknown> };
    expect(claims.sub).toBe(remote.identity);
    expect(claims.video).toMatchObject({ room: meeting.room, roomJoin: true });
    for (const admin of ['roomAdmin', 'roomCreate', 'roomRecord']) expect(claims.video[admin]).toBeFalsy();
    // The token the inviting gateway minted opens exactly that room at the LiveKit server.
    const participant = await fake.join(token, { room: meeting.room, tracks: ['audio', 'screen_share'] });
    expect(participant.identity).toBe(remote.identity);
    expect(fake.rooms.get(meeting.room)!.participants.has(remote.identity)).toBe(true);

    expect((await api('xihaike', clerks.xhSupervisor, 'POST', `/api/v1/meeting-invitations/${invitations[0]!.id}/join`)).json).toMatchObject({ code: 'invalid_transition' });
  });
});
