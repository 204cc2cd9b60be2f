import { ParticipantInfo, Room } from '@livekit/protocol';
import { eq, sql } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMessages } from '../../src/db/schema/index';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { addClerk } from '../../src/services/clerks/add-clerk';
import { createTestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startFakeLiveKit, type FakeLiveKit } from '../support/fake-livekit/index';
import { eventJson, signWebhook } from '../support/fake-livekit/webhooks';
import { freePort } from '../support/http';
import { buildWorkerBundle, memberBindings, scheduledOf, startWorker } from './support';

const SELF = 'gaoxin';
const OTHER = 'xihaike';
const SELF_URL = 'https://gaoxin.example.test';
const REF = 'cs_GXworkerMeet0001';
const REMOTE_REF = 'cs_XHworkerMeet0001';

interface JoinToken { identity: string; url: string; token: string; expiresAt: string }
interface Meeting { id: string; room: string; status: string; closeReason: string | null; participants: { identity: string; role: string; status: string }[] }
interface TimelineEvent { eventId: string; type: string; actor?: string; data?: Record<string, unknown> }

/** An intake case of the worker's window kuayu-1, transferred to OTHER, inserted as the intake flow leaves it. */
async function insertIntakeCase(db: TestDatabase) {
  const detail = { status: 'received', delivery: 'window', received: true, accepted: false, supplementRequested: false };
  await db.database.db.execute(sql`insert into cases (ref, role, intake_member, handling_member, intake_case_id, item_code, mode, state, state_detail, remote_ref,
    applicant_kind, applicant_name, applicant_id_type, applicant_id_sealed, applicant_id_masked, intake, delivery, consent, materials_digest, created_at, updated_at)
    values (${REF}, 'intake', ${SELF}, ${OTHER}, 'GX-WORKER-1', 'KS-GJJ-003', 'proxy_intake', 'received', ${JSON.stringify(detail)}::jsonb, ${REMOTE_REF},
    'person', '李四', 'resident_id', 'v1.x.y', '370211********1234', ${JSON.stringify({ member: SELF, window: 'kuayu-1' })}::jsonb, '{"method":"window"}'::jsonb, '{}'::jsonb, 'd', now(), now())`);
}

const grantsOf = (token: string) => {
  const claims = decodeJwt(token) as { sub?: string; exp?: number; nbf?: number; iat?: number; video?: Record<string, unknown> };
  return { ...claims, ttl: (claims.exp ?? 0) - (claims.nbf ?? claims.iat ?? 0) };
};

describe.skipIf(!process.env.DATABASE_URL)('cloud meetings in workerd against a fake LiveKit (needs DATABASE_URL: skipped without a PostgreSQL server)', () => {
  let bundle: Awaited<ReturnType<typeof buildWorkerBundle>> | undefined;
  let tdb: TestDatabase | undefined;
  let fake: FakeLiveKit | undefined;
  let mf: Miniflare | undefined;
  let noVideo: Miniflare | undefined;
  let clerkToken: string;
  let meeting: Meeting;
  let clerkJoin: JoinToken;
  let applicantJoin: JoinToken;

  beforeAll(async () => {
    // OTHER's endpoint is a loopback port nobody listens on: the invitation's delivery fails at once.
    const [built, database, livekit, closedPort] = await Promise.all([buildWorkerBundle(), createTestDatabase(), startFakeLiveKit({ autoCreateRooms: false }), freePort()]);
    bundle = built;
    tdb = database;
    fake = livekit;
    const alliance = await createTestAlliance([{ id: SELF, endpoint: SELF_URL }, { id: OTHER, endpoint: `http://127.0.0.1:${closedPort}` }]);
    const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
    const base = { ...memberBindings(alliance, SELF, SELF_URL, registry), HANDSHAKE_DATA_KEY: 'ab'.repeat(32) };
    [mf, noVideo] = await Promise.all([
      startWorker(bundle, tdb.url!, { ...base, LIVEKIT_URL: fake.url, LIVEKIT_API_KEY: fake.apiKey, LIVEKIT_API_SECRET: fake.apiSecret }),
      startWorker(bundle, tdb.url!, base),
    ]);
    // workerd listens on loopback too: the fake's own webhooks (room_started, participant_joined) reach it over HTTP.
    fake.webhookUrl = new URL('/livekit/webhook', await mf.ready).toString();
    await insertIntakeCase(tdb);
    ({ token: clerkToken } = await addClerk({ ctx: { db: tdb.database.db, clock: systemClock, ids: randomIds }, input: { name: '张三', window: 'kuayu-1', role: 'intake', windows: null } }));
  });

  afterAll(async () => {
    // Each step runs even if one before it fails (a Miniflare that never started throws on dispose).
    const steps = await Promise.allSettled([mf?.dispose(), noVideo?.dispose(), fake?.close()]);
    steps.push(...await Promise.allSettled([tdb?.drop()]));
    bundle?.remove();
    for (const s of steps) if (s.status === 'rejected') throw s.reason;
  });

  async function api(method: 'GET' | 'POST', path: string, worker = mf!) {
    const res = await worker.dispatchFetch(SELF_URL + path, { method, headers: { authorization: `Bearer ${clerkToken}` } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  const timeline = async () => (await api('GET', `/api/v1/cases/${REF}/timeline`)).json.timeline as TimelineEvent[];

  /** A webhook signed as livekit-server signs it (HS256 with the API secret, sha256 of the body), dispatched to the worker. */
  async function deliver(event: Record<string, unknown>, o: { apiSecret?: string; sentBody?: string } = {}) {
    const body = JSON.stringify(event);
    const authorization = await signWebhook(body, fake!.apiKey, o.apiSecret ?? fake!.apiSecret);
    const res = await mf!.dispatchFetch(`${SELF_URL}/livekit/webhook`, {
      method: 'POST', headers: { authorization, 'content-type': 'application/webhook+json' }, body: o.sentBody ?? body,
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it('starts a meeting: the room exists at LiveKit with its limits, the clerk token has only its grants, the invitation is sealed in the outbox', async () => {
    const r = await api('POST', `/api/v1/cases/${REF}/meetings`);
    expect(r.status).toBe(201);
    meeting = r.json.meeting as Meeting;
    clerkJoin = r.json.token as JoinToken;
    expect(meeting).toMatchObject({ status: 'open', room: `hs-${meeting.id}` });
    expect(fake!.rooms.get(meeting.room)).toMatchObject({ maxParticipants: 4, emptyTimeout: 600, departureTimeout: 60 });
    expect(JSON.parse(fake!.rooms.get(meeting.room)!.metadata)).toEqual({ meetingId: meeting.id, caseRef: REF, members: [SELF, OTHER] });

    expect(clerkJoin.url).toBe(fake!.url);
    const g = grantsOf(clerkJoin.token);
    expect(g).toMatchObject({ iss: fake!.apiKey, sub: clerkJoin.identity, video: { roomJoin: true, room: meeting.room, canPublish: true, canSubscribe: true, canPublishData: true } });
    expect(g.video!.canPublishSources).toEqual(['camera', 'microphone', 'screen_share', 'screen_share_audio']);
    expect(g.ttl).toBeLessThanOrEqual(900);
    for (const admin of ['roomAdmin', 'roomCreate', 'roomRecord', 'roomList']) expect(g.video![admin]).toBeFalsy();

    const invitations = await tdb!.database.db.select().from(outboxMessages).where(eq(outboxMessages.kind, 'meeting_invitation'));
    expect(invitations).toHaveLength(1);
    expect(invitations[0]).toMatchObject({ targetMember: OTHER, bodySealed: true, caseRef: REF });
    expect(new TextDecoder().decode(invitations[0]!.body)).not.toContain('eyJ');
  });

  it('admits the applicant with camera and microphone only', async () => {
    const r = await api('POST', `/api/v1/meetings/${meeting.id}/admit`);
    expect(r.status).toBe(200);
    applicantJoin = r.json as unknown as JoinToken;
    const g = grantsOf(applicantJoin.token);
    expect(g).toMatchObject({ sub: `${SELF}.applicant`, video: { roomJoin: true, room: meeting.room, canPublishData: false } });
    expect(g.video!.canPublishSources).toEqual(['camera', 'microphone']);
    expect(g.ttl).toBeLessThanOrEqual(900);
  });

  it('takes LiveKit\'s own webhooks over HTTP: room_started and participant_joined reach the timeline', async () => {
    await fake!.join(applicantJoin.token, { tracks: ['audio', 'video'] });
    await fake!.webhooksSettled();
    expect(fake!.webhooks.map((w) => [w.event, w.status])).toEqual(expect.arrayContaining([['room_started', 200], ['participant_joined', 200]]));
    const events = await timeline();
    expect(events.filter((e) => e.type === 'meeting_started')).toHaveLength(1);
    expect(events.find((e) => e.type === 'meeting_joined')).toMatchObject({ actor: 'livekit', eventId: expect.stringMatching(/^lk_EV_/), data: { identity: `${SELF}.applicant`, role: 'applicant' } });
  });

  it('verifies a webhook dispatched to it: once applied, a repeat changes nothing, a tampered or foreign one is 401', async () => {
    const event = eventJson({ event: 'participant_joined', room: new Room({ name: meeting.room }), participant: new ParticipantInfo({ identity: clerkJoin.identity }) });
    expect(await deliver(event, { sentBody: JSON.stringify({ ...event, event: 'room_finished' }) })).toMatchObject({ status: 401, json: { code: 'bad_signature' } });
    expect(await deliver(event, { apiSecret: 'not-the-secret-of-this-livekit-server-000000' })).toMatchObject({ status: 401, json: { code: 'bad_signature' } });
    expect(await deliver(event)).toEqual({ status: 200, json: { received: true, applied: true } });
    expect(await deliver(event)).toEqual({ status: 200, json: { received: true, applied: false } });
    const joined = (await timeline()).filter((e) => e.type === 'meeting_joined').map((e) => e.data!.identity);
    expect(joined.sort()).toEqual([clerkJoin.identity, `${SELF}.applicant`].sort());
    const m = (await api('GET', `/api/v1/meetings/${meeting.id}`)).json as unknown as Meeting;
    expect(m.participants.filter((p) => p.status === 'joined').map((p) => p.role).sort()).toEqual(['applicant', 'clerk']);
  });

  it('closes the meeting as room_gone on the every-minute cron when LiveKit no longer has the room', async () => {
    fake!.rooms.delete(meeting.room);
    const scheduled = await scheduledOf(mf!);
    expect((await scheduled('* * * * *')).outcome).toBe('ok');
    expect((await api('GET', `/api/v1/meetings/${meeting.id}`)).json).toMatchObject({ status: 'closed', closeReason: 'room_gone' });
    const finished = (await timeline()).filter((e) => e.type === 'meeting_finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]!.data).toMatchObject({ meetingId: meeting.id, reason: 'room_gone' });
    expect(fake!.requests.filter((q) => q.method === 'ListRooms').length).toBeGreaterThan(0);
  });

  it('answers 503 on the meeting routes and the webhook when no LIVEKIT_* is bound, and the rest still works', async () => {
    expect(await api('POST', `/api/v1/cases/${REF}/meetings`, noVideo)).toMatchObject({
      status: 503, json: { code: 'upstream_unavailable', detail: 'video is not configured (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET)' },
    });
    const hook = await noVideo!.dispatchFetch(`${SELF_URL}/livekit/webhook`, { method: 'POST', body: '{}', headers: { authorization: 'x' } });
    expect(hook.status).toBe(503);
    await hook.arrayBuffer();
    expect((await api('GET', '/api/v1/me', noVideo)).status).toBe(200);
  });
});
