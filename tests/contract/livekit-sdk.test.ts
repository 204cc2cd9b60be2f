// The unchanged livekit-server-sdk against the protocol-faithful fake: every call round-trips, and the
// requests it sends are pinned in livekit-sdk.wire.ts so an SDK upgrade that changes the wire fails.
import {
  AccessToken, DataPacket_Kind, EgressClient, EgressStatus, EncodedFileOutput, RoomServiceClient, TwirpError, WebhookReceiver,
} from 'livekit-server-sdk';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLiveKit, type FakeLiveKit, type RecordedRequest } from '../support/fake-livekit';
import { listen } from '../support/http';
import { sdkWire } from './livekit-sdk.wire';

interface Hook { body: string; authorization: string | null; contentType: string | null }

let fake: FakeLiveKit;
let hooks: Hook[];
let receiver: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  hooks = [];
  receiver = await listen(async (req) => {
    hooks.push({ body: await req.text(), authorization: req.headers.get('authorization'), contentType: req.headers.get('content-type') });
    return new Response(null, { status: 200 });
  });
  fake = await startFakeLiveKit({ webhookUrl: `${receiver.url}/webhooks/livekit` });
});
afterAll(async () => {
  await fake.close();
  await receiver.close();
});
afterEach(() => {
  fake.requests.length = 0;
  fake.rooms.clear();
  fake.egresses.clear();
  hooks.length = 0;
});

const rooms = () => new RoomServiceClient(fake.url, fake.apiKey, fake.apiSecret);
const egress = () => new EgressClient(fake.url, fake.apiKey, fake.apiSecret);

async function joinToken(identity: string, room: string, opts: { secret?: string } = {}): Promise<string> {
  const at = new AccessToken(fake.apiKey, opts.secret ?? fake.apiSecret, { identity, name: identity });
  at.addGrant({ roomJoin: true, room });
  return at.toJwt();
}

async function grantOnly(video: Record<string, unknown>): Promise<string> {
  const at = new AccessToken(fake.apiKey, fake.apiSecret);
  at.addGrant(video);
  return at.toJwt();
}

const placeholders: Record<string, Record<string, string>> = {
  MutePublishedTrack: { trackSid: '<track sid>' },
  SendData: { nonce: '<16 random bytes>' },
  StopEgress: { egressId: '<egress id>' },
};

function wireOf(r: RecordedRequest) {
  const claims = r.grants as { iss: string; nbf: number; exp: number; video: Record<string, unknown> };
  const body = { ...(r.body as Record<string, unknown>) };
  for (const [key, value] of Object.entries(placeholders[r.method] ?? {})) if (key in body) body[key] = value;
  expect(claims.iss).toBe(fake.apiKey);
  expect(claims.exp - claims.nbf).toBe(600);
  expect(r.authorization).toMatch(/^Bearer ey/);
  expect(r.headers['content-type']).toBe('application/json;charset=UTF-8');
  expect(r.headers['user-agent']).toMatch(/^livekit-server-sdk-node\//);
  return { service: r.service, method: r.method, body, video: claims.video };
}

describe('livekit-server-sdk wire contract', () => {
  it('sends the pinned requests and parses every reply', async () => {
    const rs = rooms();
    const created = await rs.createRoom({ name: 'case-room', emptyTimeout: 120, maxParticipants: 4, metadata: '{"case":"cs_1"}' });
    expect(created).toMatchObject({ name: 'case-room', emptyTimeout: 120, departureTimeout: 20, maxParticipants: 4 });
    expect(created.sid).toMatch(/^RM_/);
    expect((await rs.listRooms(['case-room'])).map((r) => r.name)).toEqual(['case-room']);

    const clerk = await fake.join(await joinToken('clerk-1', 'case-room'), { tracks: ['audio'] });
    expect((await rs.listParticipants('case-room')).map((p) => p.identity)).toEqual(['clerk-1']);
    const got = await rs.getParticipant('case-room', 'clerk-1');
    expect(got).toMatchObject({ sid: clerk.sid, identity: 'clerk-1', name: 'clerk-1', isPublisher: true });
    const muted = await rs.mutePublishedTrack('case-room', 'clerk-1', clerk.tracks[0]!.sid, true);
    expect(muted).toMatchObject({ sid: clerk.tracks[0]!.sid, muted: true });
    const updated = await rs.updateParticipant('case-room', 'clerk-1', { metadata: 'on duty', attributes: { desk: '3' } });
    expect(updated).toMatchObject({ metadata: 'on duty', attributes: { desk: '3' } });
    expect((await rs.updateRoomMetadata('case-room', 'm2')).metadata).toBe('m2');
    await rs.sendData('case-room', new TextEncoder().encode('hello'), DataPacket_Kind.RELIABLE, { topic: 'notice' });
    expect(fake.rooms.get('case-room')!.data).toEqual([{ payload: 'hello', topic: 'notice', at: expect.any(Number) }]);

    const eg = egress();
    const started = await eg.startRoomCompositeEgress('case-room',
      { file: new EncodedFileOutput({ filepath: 'cases/cs_1.ogg' }) }, { layout: 'grid', audioOnly: true });
    expect(started).toMatchObject({ roomName: 'case-room', status: EgressStatus.EGRESS_STARTING });
    expect((await eg.listEgress({ roomName: 'case-room' })).map((e) => e.status)).toEqual([EgressStatus.EGRESS_ACTIVE]);
    expect((await eg.stopEgress(started.egressId)).status).toBe(EgressStatus.EGRESS_ENDING);
    await rs.removeParticipant('case-room', 'clerk-1');
    await rs.deleteRoom('case-room');
    await fake.webhooksSettled();
    expect(fake.egresses.get(started.egressId)).toMatchObject({ status: 'EGRESS_COMPLETE', file: { filename: 'cases/cs_1.ogg' } });
    expect(fake.rooms.size).toBe(0);

    expect(fake.requests.map(wireOf)).toEqual(sdkWire);
  });

  it('replies in Twirp JSON with proto field names and unpopulated fields, as the server does', async () => {
    const token = await grantOnly({ roomCreate: true });
    const res = await fetch(`${fake.url}/twirp/livekit.RoomService/CreateRoom`, {
      method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'snake', empty_timeout: 30 }),
    });
    expect(res.headers.get('content-type')).toBe('application/json');
    const room = await res.json() as Record<string, unknown>;
    expect(room).toMatchObject({ name: 'snake', empty_timeout: 30, max_participants: 0, metadata: '', num_participants: 0 });
    expect(room.creation_time).toMatch(/^\d+$/);
    expect(Object.keys(room).every((k) => k === k.toLowerCase())).toBe(true);
  });
});

describe('livekit-server auth as the SDK sees it', () => {
  it('answers a token signed with the wrong secret with a plain-text 401, and the SDK throws it', async () => {
    const wrong = new RoomServiceClient(fake.url, fake.apiKey, 'not-the-secret');
    const err = await wrong.listRooms().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TwirpError);
    expect(err).toMatchObject({ status: 401, code: undefined });
    expect((err as Error).message).toMatch(/^invalid token: .*signature/);

    const raw = await fetch(`${fake.url}/twirp/livekit.RoomService/ListRooms`, {
      method: 'POST', headers: { Authorization: 'Basic abc', 'Content-Type': 'application/json' }, body: '{}',
    });
    expect(raw.status).toBe(401);
    expect(raw.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await raw.text()).toBe('invalid authorization header. Must start with Bearer ');
  });

  it('refuses a valid token without roomAdmin for the room with the server\'s unauthenticated Twirp error', async () => {
    await rooms().createRoom({ name: 'case-room' });
    for (const video of [{ roomList: true }, { roomAdmin: true, room: 'other-room' }]) {
      const client = new RoomServiceClient(fake.url, undefined, undefined, { token: await grantOnly(video) });
      const err = await client.listParticipants('case-room').catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 401, code: 'unauthenticated', message: 'permissions denied' });
    }
    const recorder = new EgressClient(fake.url, undefined, undefined, { token: await grantOnly({ roomAdmin: true, room: 'case-room' }) });
    await expect(recorder.listEgress()).rejects.toMatchObject({ code: 'unauthenticated' });
    const anonymous = await fetch(`${fake.url}/twirp/livekit.RoomService/ListRooms`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}',
    });
    expect([anonymous.status, await anonymous.json()]).toEqual([401, { code: 'unauthenticated', msg: 'permissions denied' }]);
  });

  it('answers bad JSON with malformed, an unknown room with not_found, a bad route with bad_route', async () => {
    const token = await grantOnly({ roomCreate: true });
    const post = (path: string, body: string, contentType = 'application/json') => fetch(`${fake.url}/twirp/${path}`, {
      method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType }, body,
    }).then(async (r) => [r.status, await r.json()]);
    expect(await post('livekit.RoomService/CreateRoom', '{"name":')).toEqual([400, { code: 'malformed', msg: 'the json request could not be decoded' }]);
    expect(await post('livekit.RoomService/CreateRoom', '{"name":42}')).toEqual([400, { code: 'malformed', msg: 'the json request could not be decoded' }]);
    expect(await post('livekit.RoomService/Nope', '{}')).toMatchObject([404, { code: 'bad_route' }]);
    expect(await post('livekit.RoomService/CreateRoom', 'name=x', 'text/plain')).toMatchObject([404, { code: 'bad_route' }]);
    await expect(rooms().deleteRoom('no-such-room')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(rooms().getParticipant('no-such-room', 'x')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    expect(await rooms().listParticipants('no-such-room')).toEqual([]);
  });

  it('allows a second room composite egress for a room that already records, as the server does', async () => {
    await rooms().createRoom({ name: 'case-room' });
    const out = { file: new EncodedFileOutput({ filepath: 'a.ogg' }) };
    const first = await egress().startRoomCompositeEgress('case-room', out, { audioOnly: true });
    const second = await egress().startRoomCompositeEgress('case-room', out, { audioOnly: true });
    expect(second.egressId).not.toBe(first.egressId);
    expect(await egress().listEgress({ roomName: 'case-room', active: true })).toHaveLength(2);
    await expect(egress().startRoomCompositeEgress('no-such-room', out)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('webhooks and joining', () => {
  it('sends signed webhooks that WebhookReceiver accepts, and refuses a tampered body or a wrong secret', async () => {
    await rooms().createRoom({ name: 'case-room' });
    const clerk = await fake.join(await joinToken('clerk-1', 'case-room'), { tracks: ['audio'] });
    await fake.leave('case-room', 'clerk-1');
    await fake.webhooksSettled();
    const ok = new WebhookReceiver(fake.apiKey, fake.apiSecret);
    const events = await Promise.all(hooks.map((h) => ok.receive(h.body, h.authorization ?? undefined)));
    expect(events.map((e) => e.event)).toEqual(['room_started', 'participant_joined', 'track_published', 'participant_left']);
    expect(events[1]!.participant).toMatchObject({ identity: 'clerk-1', sid: clerk.sid });
    expect(events[2]!.track?.sid).toBe(clerk.tracks[0]!.sid);
    expect(events.every((e) => e.id.startsWith('EV_') && e.createdAt > 0n && e.room?.name === 'case-room')).toBe(true);
    expect(hooks.every((h) => h.contentType === 'application/webhook+json' && !h.authorization?.startsWith('Bearer'))).toBe(true);

    const first = hooks[0]!;
    await expect(ok.receive(first.body.replace('case-room', 'case-roon'), first.authorization ?? undefined))
      .rejects.toThrow(/sha256/);
    await expect(new WebhookReceiver(fake.apiKey, 'another-secret').receive(first.body, first.authorization ?? undefined))
      .rejects.toThrow();
    hooks.length = 0;
    await fake.sendWebhook({ event: 'room_finished', id: 'EV_x' }, { tamper: (b) => b.replace('EV_x', 'EV_y') });
    await expect(ok.receive(hooks[0]!.body, hooks[0]!.authorization ?? undefined)).rejects.toThrow(/sha256/);
  });

  it('fires egress_started and, on finishEgress, egress_ended with the file', async () => {
    await rooms().createRoom({ name: 'case-room' });
    const started = await egress().startRoomCompositeEgress('case-room', { file: new EncodedFileOutput({ filepath: 'cs.ogg' }) });
    await fake.finishEgress(started.egressId, { location: 's3://bucket/cs.ogg', size: 2048, durationNs: 5_000_000_000 });
    await fake.webhooksSettled();
    const ok = new WebhookReceiver(fake.apiKey, fake.apiSecret);
    const events = await Promise.all(hooks.map((h) => ok.receive(h.body, h.authorization ?? undefined)));
    expect(events.map((e) => [e.event, e.egressInfo?.status])).toEqual([
      ['room_started', undefined], ['egress_started', EgressStatus.EGRESS_STARTING], ['egress_ended', EgressStatus.EGRESS_COMPLETE],
    ]);
    expect(events[2]!.egressInfo!.fileResults[0]).toMatchObject({ filename: 'cs.ogg', location: 's3://bucket/cs.ogg', size: 2048n, duration: 5_000_000_000n });
  });

  it('join refuses an expired token, another room\'s token, a bad signature and a token without roomJoin', async () => {
    await rooms().createRoom({ name: 'case-room' });
    const expired = await new SignJWT({ video: { roomJoin: true, room: 'case-room' } })
      .setProtectedHeader({ alg: 'HS256' }).setIssuer(fake.apiKey).setSubject('late')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 120).sign(new TextEncoder().encode(fake.apiSecret));
    await expect(fake.join(expired)).rejects.toThrow(/expired/);
    await expect(fake.join(await joinToken('x', 'other-room'), { room: 'case-room' })).rejects.toThrow(/other-room/);
    await expect(fake.join(await joinToken('x', 'case-room', { secret: 'forged' }))).rejects.toThrow(/invalid token/);
    await expect(fake.join(await grantOnly({ room: 'case-room', canPublish: true }))).rejects.toThrow(/permissions denied/);
    expect(fake.rooms.get('case-room')!.participants.size).toBe(0);
  });
});
