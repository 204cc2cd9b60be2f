import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { AccessToken, type VideoGrant } from 'livekit-server-sdk';
import { seedDefaultCatalog } from '../../src/entry/node/catalog';
import { signRequest } from '../../src/federation/envelope/sign';
import { loadSigner } from '../../src/federation/keys';
import type { Gateway } from '../../src/gateway';
import { systemClock, type Clock } from '../../src/lib/clock';
import { fromUtf8, utf8 } from '../../src/lib/encoding';
import { randomIds } from '../../src/lib/ids';
import { evidenceRecords, meetingInvitations, outboxMessages } from '../../src/db/schema/index';
import { dbCatalogReader } from '../../src/services/catalog/catalog-in-force';
import { addClerk } from '../../src/services/clerks/add-clerk';
import type { ClerkRole } from '../../src/services/clerks/schema';
import { queueMeetingInvitation } from '../../src/services/meetings/invitations/send';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { inProcessFetch, startTestGateway } from '../support/gateway';
import { postSigned } from '../support/signed';

const ENDPOINTS = { gaoxin: 'https://gaoxin.example.test', xihaike: 'https://xihaike.example.test', 'chengdu-gx': 'https://chengdu.example.test' } as const;
type Member = keyof typeof ENDPOINTS;
const GX_REF = 'cs_GXlocal000000001';
const LIVEKIT_URL = 'wss://livekit.gaoxin.example.test';
const API_KEY = 'APIgaoxin';
const API_SECRET = 'gaoxin-livekit-secret-0123456789abcdef';

let alliance: TestAlliance;
const dbs = {} as Record<'gaoxin' | 'xihaike', TestDatabase>;
const gw = {} as Record<'gaoxin' | 'xihaike', Gateway>;
const routes: Record<string, Gateway> = {};
let ref: string;
let clerks: Record<'handling' | 'supervisor' | 'intake', string>;
/** xihaike's clock runs this far ahead of the signers' (to let invitations expire). */
let xihaikeAhead = 0;
const xihaikeClock: Clock = { now: () => Date.now() + xihaikeAhead };

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const nowSec = () => Math.floor(Date.now() / 1000);
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

/** A LiveKit token as the inviting gateway mints it: one identity, one room, 15 minutes at most. */
async function liveKitToken(room: string, o: { ttl?: number; grant?: Partial<VideoGrant> } = {}): Promise<string> {
  const at = new AccessToken(API_KEY, API_SECRET, { identity: `remote:xihaike:${crypto.randomUUID().slice(0, 8)}`, ttl: o.ttl ?? 900, name: '西海岸 受理窗口' });
  at.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true, ...o.grant });
  return at.toJwt();
}

/** A token with exactly these claims (HS256, as LiveKit signs them). */
const rawToken = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(utf8(API_SECRET));

async function invitation(o: { room?: string; caseRef?: string | null; expiresAt?: string; token?: string; member?: string } = {}) {
  const room = o.room ?? `gx-${crypto.randomUUID().slice(0, 8)}`;
  return {
    meetingId: `mt_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`, ...(o.caseRef === null ? {} : { caseRef: o.caseRef ?? ref }),
    url: LIVEKIT_URL, room, token: o.token ?? (await liveKitToken(room)), expiresAt: o.expiresAt ?? inMinutes(14),
    invitee: { member: o.member ?? 'xihaike', role: 'handling' },
  };
}

/** A signed POST /federation/v1/meetings to xihaike, with the Idempotency-Key given. */
async function invite(from: Member, body: unknown, key: string = crypto.randomUUID()) {
  const bytes = utf8(JSON.stringify(body));
  const url = `${ENDPOINTS.xihaike}/federation/v1/meetings`;
  const signer = await loadSigner(alliance.members.get(from)!.privateJwk);
  const { token } = await signRequest(signer, { iss: from, aud: 'xihaike', method: 'POST', url, body: bytes }, systemClock, randomIds);
  const res = await gw.xihaike.app.request(url, { method: 'POST', body: bytes as Uint8Array<ArrayBuffer>, headers: { 'handshake-request': token, 'content-type': 'application/json', 'idempotency-key': key } });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
const jsonOf = (r: { text: string }) => JSON.parse(r.text) as Record<string, unknown>;

async function api(token: string, method: 'GET' | 'POST', path: string) {
  const res = await gw.xihaike.app.request(ENDPOINTS.xihaike + path, { method, headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Record<string, unknown> };
}
const list = async (token: string) => (await api(token, 'GET', '/api/v1/meeting-invitations')).json.invitations as Record<string, unknown>[];
const join = (token: string, id: string) => api(token, 'POST', `/api/v1/meeting-invitations/${id}/join`);
const stored = async () => (await dbs.xihaike.database.db.select().from(meetingInvitations)).length;

async function clerk(role: ClerkRole) {
  const { token } = await addClerk({ ctx: { db: dbs.xihaike.database.db, clock: systemClock, ids: randomIds }, input: { name: `xihaike ${role}`, window: 'kuayu-1', role, windows: null } });
  return token;
}

beforeAll(async () => {
  alliance = await createTestAlliance(Object.entries(ENDPOINTS).map(([id, endpoint]) => ({ id, endpoint })));
  alliance.members.get('xihaike')!.items = [{ code: 'KS-GJJ-003', modes: ['proxy_intake'] }];
  const registry = await alliance.sign(1, nowSec());
  const fetch = inProcessFetch(routes);
  for (const id of ['gaoxin', 'xihaike'] as const) {
    dbs[id] = await createTestDatabase();
    await seedDefaultCatalog(dbs[id].database.db);
    gw[id] = await startTestGateway({ alliance, memberId: id, database: dbs[id].database, clock: id === 'xihaike' ? xihaikeClock : systemClock, registry: () => registry, catalog: dbCatalogReader(dbs[id].database.db), fetch });
    routes[ENDPOINTS[id]] = gw[id];
  }
  // gaoxin took the application in and transferred it: xihaike handles the case under `ref`.
  const content = utf8('%PDF 合同');
  const res = await postSigned({ alliance, from: 'gaoxin', to: 'xihaike', url: `${ENDPOINTS.xihaike}/federation/v1/cases`, app: gw.xihaike.app, body: {
    caseId: 'GX-20261128-0001', itemCode: 'KS-GJJ-003', mode: 'proxy_intake',
    applicant: { kind: 'person', name: '李四', idType: 'resident_id', idNumber: '370211199202021234' },
    intake: { member: 'gaoxin', window: 'kuayu-1', clerk: 'clerk-1', receivedAt: '2026-11-28T09:00:00+08:00', identityCheck: { method: 'id_card_reader', result: 'passed' } },
    materials: [{ requirement: 'purchase-contract', name: '购房合同', mediaType: 'application/pdf', size: content.length, sha256: sha256(content), content: Buffer.from(content).toString('base64') }],
    delivery: { method: 'window' }, consent: { dataSharing: true, at: '2026-11-28T08:59:00+08:00' },
  } });
  expect(res.status).toBe(202);
  ref = ((await res.json()) as { caseRef: string }).caseRef;
  await dbs.gaoxin.database.db.execute(sql`insert into cases (ref, role, intake_member, handling_member, intake_case_id, item_code, mode, state, state_detail, remote_ref,
    applicant_kind, applicant_name, applicant_id_type, applicant_id_sealed, applicant_id_masked, intake, delivery, consent, materials_digest, created_at, updated_at)
    values (${GX_REF}, 'intake', 'gaoxin', 'xihaike', 'GX-20261128-0001', 'KS-GJJ-003', 'proxy_intake', 'received',
    ${JSON.stringify({ status: 'received', delivery: 'window', received: true, accepted: false, supplementRequested: false })}::jsonb, ${ref},
    'person', '李四', 'resident_id', 'v1.x.y', '370211********1234', ${JSON.stringify({ member: 'gaoxin', window: 'kuayu-1' })}::jsonb, '{"method":"window"}'::jsonb, '{}'::jsonb, 'd', now(), now())`);
  clerks = { handling: await clerk('handling'), supervisor: await clerk('supervisor'), intake: await clerk('intake') };
});

afterAll(async () => { await Promise.all(Object.values(dbs).map((d) => d.drop())); });

describe('§7.3 meeting invitations: gaoxin invites the handling clerk of xihaike', () => {
  let sent: Awaited<ReturnType<typeof invitation>>;
  let invitationId: string;

  it('travels through the outbox sealed, arrives signed, and is kept with its token sealed', async () => {
    sent = await invitation();
    const gx = gw.gaoxin.deps;
    const message = await dbs.gaoxin.database.db.transaction((tx) => queueMeetingInvitation(tx, { ids: gx.ids, clock: gx.clock, sealer: gx.sealer }, { ...sent, ownCaseRef: GX_REF }));
    expect(message).toMatchObject({ kind: 'meeting_invitation', targetMember: 'xihaike', path: '/federation/v1/meetings', caseRef: GX_REF, bodySealed: true });
    expect(fromUtf8(message.body)).not.toContain(sent.token);
    expect(await gw.gaoxin.outbox.runOnce()).toEqual(['delivered']);
    const [delivered] = await dbs.gaoxin.database.db.select().from(outboxMessages).where(eq(outboxMessages.id, message.id));
    expect(delivered).toMatchObject({ status: 'delivered', lastStatus: 202 });

    const rows = await dbs.xihaike.database.db.select().from(meetingInvitations);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    invitationId = row.id;
    expect(row).toMatchObject({ fromMember: 'gaoxin', meetingId: sent.meetingId, caseRef: ref, itemCode: 'KS-GJJ-003', url: LIVEKIT_URL, room: sent.room, status: 'pending', invitee: { member: 'xihaike', role: 'handling' } });
    expect(row.id).toMatch(/^mi_/);
    expect(JSON.stringify(rows)).not.toContain(sent.token);
    expect(await gw.xihaike.deps.sealer.open(row.tokenSealed)).toBe(sent.token);
    // The signed 202 is kept as evidence under xihaike's own ref of the case.
    const evidence = await dbs.xihaike.database.db.select().from(evidenceRecords).where(and(eq(evidenceRecords.path, '/federation/v1/meetings'), eq(evidenceRecords.kind, 'response_sent')));
    expect(evidence.map((e) => e.caseRef)).toEqual([ref]);
  });

  it("lists it to the case's handling clerk and the supervisor, never with the token; not to an intake clerk", async () => {
    const seen = await list(clerks.handling);
    expect(seen).toEqual([expect.objectContaining({ id: invitationId, fromMember: 'gaoxin', meetingId: sent.meetingId, caseRef: ref, room: sent.room, url: LIVEKIT_URL, status: 'pending', takenBy: null })]);
    expect(JSON.stringify(seen)).not.toContain(sent.token);
    expect(seen[0]).not.toHaveProperty('token');
    expect((await list(clerks.supervisor)).map((i) => i.id)).toEqual([invitationId]);
    expect(await list(clerks.intake)).toEqual([]);
    expect(await join(clerks.intake, invitationId)).toMatchObject({ status: 404, json: { code: 'not_found' } });
  });

  it('the first clerk to join gets the exact token, once; a second join is 409 invalid_transition', async () => {
    const first = await join(clerks.handling, invitationId);
    expect(first).toMatchObject({ status: 200, json: { url: LIVEKIT_URL, room: sent.room, token: sent.token, expiresAt: new Date(sent.expiresAt).toISOString() } });
    const again = await join(clerks.supervisor, invitationId);
    expect(again).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    expect(again.text).not.toContain(sent.token);
    expect(await join(clerks.handling, invitationId)).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    expect((await list(clerks.handling))[0]).toMatchObject({ id: invitationId, status: 'taken', takenBy: expect.stringMatching(/^ck_/), takenAt: expect.any(String) });
  });

  it('a clerk without a token, or with an unknown invitation id, gets 401 / 404 / 400', async () => {
    const res = await gw.xihaike.app.request(`${ENDPOINTS.xihaike}/api/v1/meeting-invitations`);
    expect(res.status).toBe(401);
    expect(await join(clerks.handling, 'mi_AAAAAAAAAAAAAAAA')).toMatchObject({ status: 404 });
    expect(await join(clerks.handling, 'nope')).toMatchObject({ status: 400, json: { code: 'invalid_request' } });
  });
});

describe('POST /federation/v1/meetings: what is refused', () => {
  const refused = async (body: unknown, paths: string[], from: Member = 'gaoxin') => {
    const before = await stored();
    const r = await invite(from, body);
    expect(r.status).toBe(400);
    expect(r.headers.has('handshake-response')).toBe(true);
    const problem = jsonOf(r);
    expect(problem.code).toBe('invalid_request');
    expect((problem.errors as { path: string }[]).map((e) => e.path)).toEqual(expect.arrayContaining(paths));
    expect(await stored()).toBe(before);
    return problem;
  };

  it('a token for another room, or with admin grants, names the claim', async () => {
    await refused(await invitation({ room: 'gx-room-a', token: await liveKitToken('gx-room-b') }), ['token.video.room']);
    const admin = await refused(await invitation({ room: 'gx-room-c', token: await liveKitToken('gx-room-c', { grant: { roomAdmin: true, roomRecord: true } }) }), ['token.video.roomAdmin', 'token.video.roomRecord']);
    expect(JSON.stringify(admin)).not.toMatch(/eyJ/);
    await refused(await invitation({ room: 'gx-room-d', token: await rawToken({ video: { room: 'gx-room-d', roomJoin: true }, nbf: nowSec(), exp: nowSec() + 600 }) }), ['token.sub']);
    await refused(await invitation({ room: 'gx-room-e', token: await rawToken({ sub: 'x', video: { room: 'gx-room-e' }, nbf: nowSec(), exp: nowSec() + 600 }) }), ['token.video.roomJoin']);
  });

  it('a token living longer than 15 minutes, an expired invitation, or one too far ahead', async () => {
    await refused(await invitation({ room: 'gx-long', token: await liveKitToken('gx-long', { ttl: 1800 }) }), ['token.exp']);
    // Valid for 10 more minutes, but minted for 30: the lifetime counts from nbf (or iat).
    const backdated = await rawToken({ sub: 'remote:xihaike:1', video: { room: 'gx-back', roomJoin: true }, iat: nowSec() - 1200, exp: nowSec() + 600 });
    const long = await refused(await invitation({ room: 'gx-back', token: backdated, expiresAt: inMinutes(9) }), ['token.exp']);
    expect(JSON.stringify(long.errors)).toContain('lifetime is 1800 s');
    const old = await rawToken({ sub: 'remote:xihaike:1', video: { room: 'gx-old', roomJoin: true }, nbf: nowSec() - 1200, exp: nowSec() - 600 });
    await refused(await invitation({ room: 'gx-old', token: old, expiresAt: inMinutes(-10) }), ['expiresAt', 'token.exp']);
    await refused(await invitation({ expiresAt: inMinutes(60) }), ['expiresAt']);
    // The invitation may not outlive its token.
    const short = await rawToken({ sub: 'remote:xihaike:1', video: { room: 'gx-short', roomJoin: true }, nbf: nowSec(), exp: nowSec() + 120 });
    await refused(await invitation({ room: 'gx-short', token: short, expiresAt: inMinutes(14) }), ['expiresAt']);
  });

  it('an invitation for another member is 400 on invitee.member', async () => {
    await refused(await invitation({ member: 'gaoxin' }), ['invitee.member']);
  });

  it('a body off the shape names each field', async () => {
    const body = { ...(await invitation()), url: 'ftp://livekit.example.test', token: 'not-a-jwt', expiresAt: '2026-11-28 10:00', extra: 1 };
    await refused(body, ['url', 'token', 'expiresAt', '']);
    const r = await invite('gaoxin', { meetingId: '', room: 'r' });
    expect(jsonOf(r).errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'meetingId' }), expect.objectContaining({ path: 'url' }), expect.objectContaining({ path: 'invitee' })]));
  });

  it("a case the sender does not take part in is 404, to a third member as to the case's own sender", async () => {
    const before = await stored();
    const third = await invite('chengdu-gx', await invitation());
    expect(third).toMatchObject({ status: 404 });
    expect(jsonOf(third)).toMatchObject({ code: 'not_found' });
    expect(third.headers.has('handshake-response')).toBe(true);
    expect((await invite('gaoxin', await invitation({ caseRef: 'cs_AAAAAAAAAAAAAAAA' }))).status).toBe(404);
    // gaoxin's own intake ref means nothing at xihaike: the case is named as §7.2 names it.
    expect((await invite('gaoxin', await invitation({ caseRef: GX_REF }))).status).toBe(404);
    expect(await stored()).toBe(before);
  });

  it('unsigned, or without an Idempotency-Key, is refused before anything', async () => {
    const body = JSON.stringify(await invitation());
    const unsigned = await gw.xihaike.app.request(`${ENDPOINTS.xihaike}/federation/v1/meetings`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'idempotency-key': 'k' } });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { code: string }).code).toBe('missing_signature');
    const url = `${ENDPOINTS.xihaike}/federation/v1/meetings`;
    const signer = await loadSigner(alliance.members.get('gaoxin')!.privateJwk);
    const { token } = await signRequest(signer, { iss: 'gaoxin', aud: 'xihaike', method: 'POST', url, body: utf8(body) }, systemClock, randomIds);
    const noKey = await gw.xihaike.app.request(url, { method: 'POST', body, headers: { 'handshake-request': token, 'content-type': 'application/json' } });
    expect(noKey.status).toBe(400);
  });
});

describe('repeats (§5) and meetingId conflicts', () => {
  it('a repeated delivery is answered from the idempotency record; the same meetingId with other content is 409', async () => {
    const body = await invitation();
    const key = crypto.randomUUID();
    const first = await invite('gaoxin', body, key);
    expect(first.status).toBe(202);
    expect(jsonOf(first)).toEqual({ invitationId: expect.stringMatching(/^mi_/), status: 'pending' });
    const count = await stored();
    const repeat = await invite('gaoxin', body, key);
    expect({ status: repeat.status, text: repeat.text }).toEqual({ status: 202, text: first.text });
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(repeat.headers.has('handshake-response')).toBe(true);
    expect(await stored()).toBe(count);
    // Under another key: the same invitation again is the same invitation.
    expect(jsonOf(await invite('gaoxin', body))).toEqual(jsonOf(first));
    // The key with another body, or the meetingId with another room and token: conflicts.
    const other = { ...body, room: 'gx-other', token: await liveKitToken('gx-other') };
    expect(jsonOf(await invite('gaoxin', other, key))).toMatchObject({ status: 409, code: 'idempotency_conflict' });
    expect(jsonOf(await invite('gaoxin', other))).toMatchObject({ status: 409, code: 'idempotency_conflict' });
    expect(await stored()).toBe(count);
    // meetingId is unique per sender: another member's meeting of that id is another invitation.
    expect((await invite('chengdu-gx', { ...body, caseRef: undefined })).status).toBe(202);
  });

  it('an invitation naming no case is shown to handling clerks; once expired it cannot be joined', async () => {
    const body = await invitation({ caseRef: null, expiresAt: inMinutes(1) });
    const r = await invite('chengdu-gx', body);
    expect(r.status).toBe(202);
    const { invitationId } = jsonOf(r) as { invitationId: string };
    expect((await list(clerks.handling))[0]).toMatchObject({ id: invitationId, caseRef: null, fromMember: 'chengdu-gx', status: 'pending' });
    expect((await list(clerks.intake)).map((i) => i.id)).not.toContain(invitationId);
    xihaikeAhead = 2 * 60_000;
    try {
      const late = await join(clerks.handling, invitationId);
      expect(late).toMatchObject({ status: 409, json: { code: 'invalid_transition', detail: expect.stringContaining('expired') } });
      expect(late.text).not.toContain(body.token);
      expect((await list(clerks.handling)).find((i) => i.id === invitationId)).toMatchObject({ status: 'expired' });
    } finally {
      xihaikeAhead = 0;
    }
  });
});
