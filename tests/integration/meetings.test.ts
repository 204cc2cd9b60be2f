import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import { eq, sql } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import type { AddressInfo } from 'node:net';
import { livekitWebhookEvents, meetings, outboxMessages } from '../../src/db/schema/index';
import type { Gateway } from '../../src/gateway';
import { fixedClock, systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { addClerk } from '../../src/services/clerks/add-clerk';
import type { ClerkRole } from '../../src/services/clerks/schema';
import { meetingCtxOf } from '../../src/services/meetings/meeting-ctx';
import { reconcileMeetings } from '../../src/services/meetings/reconcile';
import { startFakeLiveKit, type FakeLiveKit } from '../support/fake-livekit/index';
import { createTestAlliance } from '../support/alliance';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startTestGateway } from '../support/gateway';

const ENDPOINTS = { gaoxin: 'https://gaoxin.example.test', xihaike: 'https://xihaike.example.test' } as const;
type Member = keyof typeof ENDPOINTS;
const REF = 'cs_GXmeeting0000001';
const REMOTE_REF = 'cs_XHmeeting0000001';
// Fixed, and moved by hand; it starts now because the registry snapshot is signed now.
const clock = fixedClock(Date.now());

let fake: FakeLiveKit;
let server: ServerType;
const dbs = {} as Record<Member, TestDatabase>;
const gw = {} as Record<Member, Gateway>;
let tokens: Record<'intake' | 'otherWindow' | 'supervisor' | 'plain', string>;

interface Answer { status: number; json: Record<string, unknown> }
interface JoinToken { identity: string; url: string; token: string; expiresAt: string }
interface Participant { identity: string; role: string; member: string; status: string; consentAt: string | null }
interface Meeting {
  id: string; room: string; status: string; closeReason: string | null; members: string[];
  recording: { status: string; result: { location: string; size: number; durationMs: number } | null }; participants: Participant[];
}
interface TimelineEvent { eventId: string; type: string; actor?: string; side: string; sender: string; data?: Record<string, unknown> }

async function clerk(member: Member, role: ClerkRole, window = 'kuayu-1') {
  const { token } = await addClerk({ ctx: { db: dbs[member].database.db, clock: systemClock, ids: randomIds }, input: { name: `${member} ${role}`, window, role, windows: null } });
  return token;
}

/** An intake case of gaoxin's window kuayu-1, transferred to xihaike (its receipt named REMOTE_REF). */
async function insertIntakeCase(db: TestDatabase) {
  const detail = { status: 'received', delivery: 'window', received: true, accepted: false, supplementRequested: false };
  await db.database.db.execute(sql`insert into cases (ref, role, intake_member, handling_member, intake_case_id, item_code, mode, state, state_detail, remote_ref,
    applicant_kind, applicant_name, applicant_id_type, applicant_id_sealed, applicant_id_masked, intake, delivery, consent, materials_digest, created_at, updated_at)
    values (${REF}, 'intake', 'gaoxin', 'xihaike', 'GX-MEET-1', 'KS-GJJ-003', 'proxy_intake', 'received', ${JSON.stringify(detail)}::jsonb, ${REMOTE_REF},
    'person', '李四', 'resident_id', 'v1.x.y', '370211********1234', ${JSON.stringify({ member: 'gaoxin', window: 'kuayu-1' })}::jsonb, '{"method":"window"}'::jsonb, '{}'::jsonb, 'd', now(), now())`);
}

beforeAll(async () => {
  fake = await startFakeLiveKit({ autoCreateRooms: false });
  const alliance = await createTestAlliance(Object.entries(ENDPOINTS).map(([id, endpoint]) => ({ id, endpoint })));
  const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
  for (const id of ['gaoxin', 'xihaike'] as const) dbs[id] = await createTestDatabase();
  const livekit = { url: fake.url, apiKey: fake.apiKey, apiSecret: fake.apiSecret };
  gw.gaoxin = await startTestGateway({ alliance, memberId: 'gaoxin', database: dbs.gaoxin.database, clock, registry: () => registry, meetings: { livekit, maxMinutes: 60, warnMinutes: 5 } });
  // xihaike has no LiveKit: its meetings API answers 503, everything else works.
  gw.xihaike = await startTestGateway({ alliance, memberId: 'xihaike', database: dbs.xihaike.database, clock, registry: () => registry });
  await insertIntakeCase(dbs.gaoxin);
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: gw.gaoxin.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  fake.webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/livekit/webhook`;
  tokens = {
    intake: await clerk('gaoxin', 'intake'), otherWindow: await clerk('gaoxin', 'intake', 'kuayu-2'),
    supervisor: await clerk('gaoxin', 'supervisor'), plain: await clerk('xihaike', 'handling'),
  };
});

afterAll(async () => {
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await fake?.close();
  await Promise.all(Object.values(dbs).map((d) => d.drop()));
});

async function api(member: Member, token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await gw[member].app.request(ENDPOINTS[member] + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const start = () => api('gaoxin', tokens.intake, 'POST', `/api/v1/cases/${REF}/meetings`);
const meetingOf = async (id: string) => (await api('gaoxin', tokens.intake, 'GET', `/api/v1/meetings/${id}`)).json as unknown as Meeting;
const timeline = async () => ((await api('gaoxin', tokens.intake, 'GET', `/api/v1/cases/${REF}/timeline`)).json.timeline as TimelineEvent[]);
const grantsOf = (token: string) => {
  const claims = decodeJwt(token) as { sub?: string; exp?: number; nbf?: number; iat?: number; video?: Record<string, unknown> };
  return { ...claims, ttl: (claims.exp ?? 0) - (claims.nbf ?? claims.iat ?? 0) };
};

describe('cloud meetings without LiveKit configured', () => {
  it('answer 503 saying video is not configured, and nothing else breaks', async () => {
    const started = await api('xihaike', tokens.plain, 'POST', `/api/v1/cases/${REMOTE_REF}/meetings`);
    expect(started).toMatchObject({ status: 503, json: { code: 'upstream_unavailable', detail: 'video is not configured (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET)' } });
    expect((await api('xihaike', tokens.plain, 'GET', '/api/v1/meetings/mt_AAAAAAAAAAAAAAAA')).status).toBe(503);
    const hook = await gw.xihaike.app.request(`${ENDPOINTS.xihaike}/livekit/webhook`, { method: 'POST', body: '{}', headers: { authorization: 'x' } });
    expect(hook.status).toBe(503);
    expect(await api('xihaike', tokens.plain, 'GET', '/api/v1/me')).toMatchObject({ status: 200 });
  });

  it('still asks for a clerk first (401 before 503)', async () => {
    const res = await gw.xihaike.app.request(`${ENDPOINTS.xihaike}/api/v1/cases/${REMOTE_REF}/meetings`, { method: 'POST' });
    expect(res.status).toBe(401);
  });
});

describe('a LiveKit server that cannot create the room', () => {
  it('answers 503 and leaves no open meeting behind: the meeting is closed as room_not_created', async () => {
    const alliance = await createTestAlliance(Object.entries(ENDPOINTS).map(([id, endpoint]) => ({ id, endpoint })));
    const registry = await alliance.sign(1, Math.floor(Date.now() / 1000));
    // Port 9 (discard) refuses connections on loopback.
    const down = await startTestGateway({ alliance, memberId: 'gaoxin', database: dbs.gaoxin.database, clock, registry: () => registry, meetings: { livekit: { url: 'http://127.0.0.1:9', apiKey: fake.apiKey, apiSecret: fake.apiSecret } } });
    const res = await down.app.request(`${ENDPOINTS.gaoxin}/api/v1/cases/${REF}/meetings`, { method: 'POST', headers: { authorization: `Bearer ${tokens.intake}` } });
    expect(res.status).toBe(503);
    const rows = await dbs.gaoxin.database.db.select().from(meetings).where(eq(meetings.caseRef, REF));
    expect(rows.map((r) => [r.status, r.closeReason])).toEqual([['closed', 'room_not_created']]);
    // Both at the same instant of the test's fixed clock: the timeline cannot order them, so compare as a set.
    expect((await timeline()).map((e) => e.type).sort()).toEqual(['meeting_created', 'meeting_finished']);
  });
});

describe('a meeting from start to recording', () => {
  let meeting: Meeting;
  let clerkToken: JoinToken;
  let applicantToken: JoinToken;

  it('start creates the room explicitly, with its limits and metadata, and gives the clerk a minimal token', async () => {
    const r = await start();
    expect(r.status).toBe(201);
    meeting = r.json.meeting as Meeting;
    clerkToken = r.json.token as JoinToken;
    expect(meeting).toMatchObject({ status: 'open', members: ['gaoxin', 'xihaike'], room: `hs-${meeting.id}`, recording: { status: 'none', result: null } });
    expect(meeting.participants.map((p) => [p.role, p.status])).toEqual(expect.arrayContaining([['clerk', 'admitted'], ['applicant', 'waiting'], ['remote_clerk', 'admitted']]));
    const room = fake.rooms.get(meeting.room)!;
    expect(room).toMatchObject({ maxParticipants: 4, emptyTimeout: 600, departureTimeout: 60 });
    expect(JSON.parse(room.metadata)).toEqual({ meetingId: meeting.id, caseRef: REF, members: ['gaoxin', 'xihaike'] });
    expect(fake.requests.filter((q) => q.method === 'CreateRoom')).toHaveLength(1);
    // The room_started webhook LiveKit sends as soon as the room exists finds the meeting already saved.
    await fake.webhooksSettled();
    expect((await timeline()).filter((e) => e.type === 'meeting_started')).toHaveLength(1);

    const g = grantsOf(clerkToken.token);
    expect(g.sub).toBe(clerkToken.identity);
    expect(g.ttl).toBeLessThanOrEqual(900);
    expect(g.video).toMatchObject({ roomJoin: true, room: meeting.room, canPublish: true, canSubscribe: true, canPublishData: true });
    expect(g.video!.canPublishSources).toEqual(['camera', 'microphone', 'screen_share', 'screen_share_audio']);
    for (const admin of ['roomAdmin', 'roomCreate', 'roomRecord', 'roomList']) expect(g.video![admin]).toBeFalsy();
    expect(JSON.stringify(r.json)).not.toMatch(/turn|iceServers|credential/i);
  });

  it('invites the other member through the outbox: a sealed §7.3 message with its own short-lived token', async () => {
    const rows = await dbs.gaoxin.database.db.select().from(outboxMessages).where(eq(outboxMessages.kind, 'meeting_invitation'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ targetMember: 'xihaike', path: '/federation/v1/meetings', bodySealed: true, caseRef: REF });
    // Sealed at rest: the token in it admits whoever holds it.
    expect(new TextDecoder().decode(rows[0]!.body)).not.toContain('eyJ');
  });

  it('refuses supervisors (403), clerks of other windows (404) and a second open meeting (409)', async () => {
    expect((await api('gaoxin', tokens.supervisor, 'POST', `/api/v1/cases/${REF}/meetings`)).status).toBe(403);
    expect((await api('gaoxin', tokens.otherWindow, 'POST', `/api/v1/cases/${REF}/meetings`)).json).toMatchObject({ code: 'not_found' });
    expect((await api('gaoxin', tokens.otherWindow, 'GET', `/api/v1/meetings/${meeting.id}`)).status).toBe(404);
    expect((await api('gaoxin', tokens.supervisor, 'GET', `/api/v1/meetings/${meeting.id}`)).status).toBe(200);
    expect((await start()).json).toMatchObject({ code: 'invalid_transition' });
    expect((await api('gaoxin', tokens.intake, 'GET', '/api/v1/meetings/not-a-meeting')).status).toBe(400);
  });

  it('admits the applicant only when the clerk does: camera and microphone, no data, no screen', async () => {
    const r = await api('gaoxin', tokens.intake, 'POST', `/api/v1/meetings/${meeting.id}/admit`);
    expect(r.status).toBe(200);
    applicantToken = r.json as unknown as JoinToken;
    const g = grantsOf(applicantToken.token);
    expect(g).toMatchObject({ sub: `gaoxin.applicant`, video: { roomJoin: true, room: meeting.room, canPublish: true, canSubscribe: true, canPublishData: false } });
    expect(g.video!.canPublishSources).toEqual(['camera', 'microphone']);
    expect(g.ttl).toBeLessThanOrEqual(900);
    for (const admin of ['roomAdmin', 'roomCreate', 'roomRecord']) expect(g.video![admin]).toBeFalsy();
    await expect(fake.join(applicantToken.token, { tracks: ['screen_share'] })).rejects.toThrow(/may not publish/);
    expect((await meetingOf(meeting.id)).participants.find((p) => p.role === 'applicant')!.status).toBe('admitted');
  });

  it('webhooks follow who joins; the timeline records it', async () => {
    await fake.join(clerkToken.token, { tracks: ['audio', 'video'] });
    await fake.join(applicantToken.token, { tracks: ['audio', 'video'] });
    await fake.webhooksSettled();
    expect(fake.webhooks.every((w) => w.status === 200)).toBe(true);
    const m = await meetingOf(meeting.id);
    expect(m.participants.filter((p) => p.status === 'joined').map((p) => p.role).sort()).toEqual(['applicant', 'clerk']);
    const events = await timeline();
    expect(events.filter((e) => e.type === 'meeting_started')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'meeting_joined').map((e) => e.data!.identity).sort()).toEqual([clerkToken.identity, 'gaoxin.applicant'].sort());
    expect(events.find((e) => e.type === 'meeting_joined')).toMatchObject({ actor: 'livekit', side: 'intake', sender: 'gaoxin', eventId: expect.stringMatching(/^lk_EV_/) });
    expect(events.find((e) => e.type === 'meeting_created')).toMatchObject({ actor: expect.stringMatching(/^clerk:ck_/) });
  });

  it('mutes a track at the server', async () => {
    const track = fake.rooms.get(meeting.room)!.participants.get('gaoxin.applicant')!.tracks.find((t) => t.type === 'audio')!;
    const r = await api('gaoxin', tokens.intake, 'POST', `/api/v1/meetings/${meeting.id}/participants/gaoxin.applicant/mute`, { trackSid: track.sid });
    expect(r).toMatchObject({ status: 200, json: { identity: 'gaoxin.applicant', trackSid: track.sid, muted: true } });
    expect(track.muted).toBe(true);
    expect((await api('gaoxin', tokens.intake, 'POST', `/api/v1/meetings/${meeting.id}/participants/gaoxin.applicant/mute`, {})).status).toBe(400);
    expect((await api('gaoxin', tokens.intake, 'POST', `/api/v1/meetings/${meeting.id}/participants/gaoxin.nobody/mute`, { trackSid: track.sid })).status).toBe(404);
  });

  it('refuses to record without every consent, then records once', async () => {
    const recording = () => api('gaoxin', tokens.intake, 'POST', `/api/v1/meetings/${meeting.id}/recording`);
    const consent = (identity: string) => api('gaoxin', tokens.intake, 'POST', `/api/v1/meetings/${meeting.id}/consent`, { identity });
    expect((await recording())).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    expect((await consent(clerkToken.identity)).status).toBe(200);
    expect((await consent('gaoxin.applicant')).status).toBe(200);
    const refused = await recording();
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toContain('xihaike.clerk');
    expect(fake.egresses.size).toBe(0);
    expect((await consent('xihaike.clerk')).json).toMatchObject({ participants: expect.arrayContaining([expect.objectContaining({ identity: 'xihaike.clerk', consentAt: expect.any(String) })]) });

    expect((await recording())).toMatchObject({ status: 202, json: { recording: { status: 'recording' } } });
    expect((await recording())).toMatchObject({ status: 409, json: { code: 'invalid_transition' } });
    expect([...fake.egresses.values()].map((e) => e.roomName)).toEqual([meeting.room]);
    expect(fake.requests.filter((q) => q.method === 'StartRoomCompositeEgress')).toHaveLength(1);
  });

  it('attaches the recording result to the meeting and the case timeline when the egress ends', async () => {
    await fake.webhooksSettled();
    const [egress] = [...fake.egresses.values()];
    await fake.finishEgress(egress!.egressId, { location: 's3://evidence/meetings/m.mp4', size: 48_000_000, durationNs: 65_000_000_000 });
    await fake.webhooksSettled();
    const m = await meetingOf(meeting.id);
    expect(m.recording).toEqual({ status: 'done', result: { location: 's3://evidence/meetings/m.mp4', size: 48_000_000, durationMs: 65_000 } });
    const events = await timeline();
    expect(events.filter((e) => e.type === 'recording_consent')).toHaveLength(3);
    expect(events.find((e) => e.type === 'recording_started')!.data).toMatchObject({ egressId: egress!.egressId, consents: expect.any(Array) });
    expect(events.find((e) => e.type === 'recording_ended')!.data).toMatchObject({ egressId: egress!.egressId, status: 'complete', location: 's3://evidence/meetings/m.mp4', size: 48_000_000, durationMs: 65_000 });
    expect((await api('gaoxin', tokens.intake, 'POST', `/api/v1/meetings/${meeting.id}/recording`)).status).toBe(409);
  });

  it('webhooks: a tampered body or another key is 401; a repeated event changes nothing', async () => {
    const event = { id: 'EV_replayed0001', event: 'participant_left', room: { name: meeting.room }, participant: { identity: 'gaoxin.applicant' }, createdAt: String(Math.floor(Date.now() / 1000)) };
    const tampered = await fake.sendWebhook(event, { tamper: (b) => b.replace('participant_left', 'room_finished') });
    expect(tampered!.status).toBe(401);
    const forged = await fake.sendWebhook(event, { apiSecret: 'not-the-secret-of-this-livekit-server-000000' });
    expect(forged!.status).toBe(401);
    expect((await forged!.json()) as Record<string, unknown>).toMatchObject({ code: 'bad_signature' });
    const unsigned = await fetch(fake.webhookUrl!, { method: 'POST', body: JSON.stringify(event) });
    expect(unsigned.status).toBe(401);

    const first = await fake.sendWebhook(event);
    expect(await first!.json()).toEqual({ received: true, applied: true });
    const before = (await timeline()).length;
    const again = await fake.sendWebhook(event);
    expect(again!.status).toBe(200);
    expect(await again!.json()).toEqual({ received: true, applied: false });
    expect((await timeline()).length).toBe(before);
    expect((await timeline()).filter((e) => e.eventId === 'lk_EV_replayed0001')).toHaveLength(1);
    expect(await dbs.gaoxin.database.db.select().from(livekitWebhookEvents).where(eq(livekitWebhookEvents.eventId, 'EV_replayed0001'))).toHaveLength(1);
    expect((await meetingOf(meeting.id)).participants.find((p) => p.role === 'applicant')!.status).toBe('left');
  });

  it('removes a participant at the server, and ends the meeting once', async () => {
    const r = await api('gaoxin', tokens.intake, 'POST', `/api/v1/meetings/${meeting.id}/participants/${clerkToken.identity}/remove`);
    expect(r.status).toBe(200);
    expect((r.json as unknown as Meeting).participants.find((p) => p.identity === clerkToken.identity)!.status).toBe('removed');
    expect(fake.rooms.get(meeting.room)!.participants.has(clerkToken.identity)).toBe(false);
    expect(fake.requests.filter((q) => q.method === 'RemoveParticipant')).toHaveLength(1);

    const ended = await api('gaoxin', tokens.intake, 'POST', `/api/v1/meetings/${meeting.id}/end`);
    expect(ended).toMatchObject({ status: 200, json: { status: 'closed', closeReason: 'ended' } });
    expect(fake.rooms.has(meeting.room)).toBe(false);
    await fake.webhooksSettled();
    expect((await timeline()).filter((e) => e.type === 'meeting_finished' && e.data!.meetingId === meeting.id)).toHaveLength(1);
    expect((await api('gaoxin', tokens.intake, 'POST', `/api/v1/meetings/${meeting.id}/end`)).status).toBe(409);
    expect((await api('gaoxin', tokens.intake, 'POST', `/api/v1/meetings/${meeting.id}/admit`)).status).toBe(409);
  });
});

describe('reconciliation against LiveKit rooms', () => {
  it('closes a meeting whose room vanished without a webhook', async () => {
    const { meeting } = (await start()).json as { meeting: Meeting };
    fake.rooms.delete(meeting.room);
    const report = await reconcileMeetings({ ctx: meetingCtxOf(gw.gaoxin.deps) });
    expect(report.closed).toEqual([{ id: meeting.id, reason: 'room_gone' }]);
    expect(await meetingOf(meeting.id)).toMatchObject({ status: 'closed', closeReason: 'room_gone' });
  });

  it('warns the room once before the maximum duration, then closes it', async () => {
    const { meeting } = (await start()).json as { meeting: Meeting };
    const ctx = meetingCtxOf(gw.gaoxin.deps);
    expect((await reconcileMeetings({ ctx })).warned).toEqual([]);
    clock.advance(56 * 60_000);
    expect((await reconcileMeetings({ ctx })).warned).toEqual([meeting.id]);
    expect((await reconcileMeetings({ ctx })).warned).toEqual([]);
    const data = fake.rooms.get(meeting.room)!.data;
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ topic: 'handshake.meeting' });
    expect(JSON.parse(data[0]!.payload)).toMatchObject({ type: 'meeting_ending', meetingId: meeting.id, minutesLeft: 4 });

    clock.advance(4 * 60_000);
    expect((await reconcileMeetings({ ctx })).closed).toEqual([{ id: meeting.id, reason: 'max_duration' }]);
    expect(fake.rooms.has(meeting.room)).toBe(false);
    expect(await meetingOf(meeting.id)).toMatchObject({ status: 'closed', closeReason: 'max_duration' });
    await fake.webhooksSettled();
    const finished = (await timeline()).filter((e) => e.type === 'meeting_finished' && e.data!.meetingId === meeting.id);
    expect(finished).toHaveLength(1);
    expect(finished[0]!.data).toMatchObject({ reason: 'max_duration' });
  });
});
