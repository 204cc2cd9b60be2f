// The fake's client signalling, spoken to as livekit-client does (binary SignalRequest/SignalResponse on
// the /rtc WebSocket): the browser test relies on it to prove the console's clerk joins with a good token.
import { SignalRequest, SignalResponse } from '@livekit/protocol';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFakeLiveKit, type FakeLiveKit } from '../support/fake-livekit/index';
import { listen } from '../support/http';

let fake: FakeLiveKit;
let hooks: { url: string; events: string[]; close: () => Promise<void> };
const ROOM = 'hs-mt_signal0000000001';

beforeAll(async () => {
  fake = await startFakeLiveKit({ autoCreateRooms: false });
  const events: string[] = [];
  const server = await listen(async (req) => { events.push(((await req.json()) as { event: string }).event); return new Response('ok'); });
  hooks = { url: server.url, events, close: server.close };
  fake.webhookUrl = `${server.url}/livekit/webhook`;
  await new RoomServiceClient(fake.url, fake.apiKey, fake.apiSecret).createRoom({ name: ROOM });
});
afterAll(async () => {
  await fake?.close();
  await hooks?.close();
});

async function token(o: { room?: string; roomJoin?: boolean; secret?: string; ttl?: number } = {}): Promise<string> {
  const at = new AccessToken(fake.apiKey, o.secret ?? fake.apiSecret, { identity: 'gaoxin.ck_1', name: '张三', ttl: o.ttl ?? 600 });
  at.addGrant({ room: o.room ?? ROOM, roomJoin: o.roomJoin ?? true, canPublish: true, canSubscribe: true });
  return at.toJwt();
}

const wsUrl = (t: string, path = '/rtc') => `${fake.url.replace(/^http/, 'ws')}${path}?access_token=${encodeURIComponent(t)}&protocol=16&sdk=js`;

/** Opens the socket; resolves with the first SignalResponse, or the HTTP status of a refused upgrade. */
function connect(url: string): Promise<{ ws: WebSocket; first: SignalResponse } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'nodebuffer';
    ws.once('message', (data: Buffer) => resolve({ ws, first: SignalResponse.fromBinary(new Uint8Array(data)) }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}

const rooms = () => new RoomServiceClient(fake.url, fake.apiKey, fake.apiSecret);

describe('the fake LiveKit: client signalling (/rtc)', () => {
  it('a valid token gets a JoinResponse, is listed by ListParticipants, answers ping, and leaves on close', async () => {
    const t = await token();
    expect((await fetch(`${fake.url}/rtc/validate?access_token=${t}`)).status).toBe(200);
    const joined = await connect(wsUrl(t));
    if (!('ws' in joined)) throw new Error(`refused: ${joined.status} ${joined.body}`);
    expect(joined.first.message.case).toBe('join');
    const join = joined.first.message.value as { room?: { name: string }; participant?: { identity: string; name: string }; serverInfo?: { version: string } };
    expect(join.room?.name).toBe(ROOM);
    expect(join.participant).toMatchObject({ identity: 'gaoxin.ck_1', name: '张三' });
    expect(join.serverInfo?.version).toBeTruthy();
    expect((await rooms().listParticipants(ROOM)).map((p) => p.identity)).toEqual(['gaoxin.ck_1']);
    expect(fake.signals).toContainEqual(expect.objectContaining({ kind: 'join', room: ROOM, identity: 'gaoxin.ck_1' }));

    const pong = new Promise<SignalResponse>((resolve) => joined.ws.once('message', (d: Buffer) => resolve(SignalResponse.fromBinary(new Uint8Array(d)))));
    joined.ws.send(new SignalRequest({ message: { case: 'ping', value: 42n } }).toBinary());
    expect((await pong).message).toEqual({ case: 'pong', value: 42n });

    joined.ws.close();
    await until(async () => (await rooms().listParticipants(ROOM)).length === 0);
    await fake.webhooksSettled();
    expect(hooks.events).toEqual(expect.arrayContaining(['participant_joined', 'participant_left']));
  });

  it('refuses a bad signature, an expired token, one without roomJoin and one for another room with 401; /rtc/v1 is 404', async () => {
    const bad = [await token({ secret: 'not-the-secret-but-long-enough-0123456789' }), await token({ ttl: -120 }), await token({ roomJoin: false }), 'not-a-jwt'];
    for (const t of bad) {
      const answer = await connect(wsUrl(t));
      expect(answer, t).toMatchObject({ status: 401 });
      expect((await fetch(`${fake.url}/rtc/validate?access_token=${t}`)).status).toBe(401);
    }
    // Another room that does not exist (no auto-create here): the server's 404.
    expect(await connect(wsUrl(await token({ room: 'hs-other' })))).toMatchObject({ status: 404, body: 'requested room does not exist' });
    expect(await connect(wsUrl(await token(), '/rtc/v1'))).toMatchObject({ status: 404 });
    expect((await rooms().listParticipants(ROOM)).length).toBe(0);
  });
});

async function until(check: () => Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
