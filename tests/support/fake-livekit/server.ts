// The HTTP front: livekit-server's auth middleware, then the Twirp router (JSON only); and the client
// signalling (signal.ts): `/rtc/validate` and the `/rtc` WebSocket, so livekit-client in a browser joins.
//
// What cannot be faked: media. The fake answers the join but never negotiates WebRTC (no SDP answer or
// offer, no ICE candidates, no TURN), so a browser's peer connection never completes: livekit-client's
// connect() fails after its peerConnectionTimeout ("could not establish pc connection") and no remote
// track ever arrives. Tests assert that the page says so, while its local camera preview keeps working.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { completeEgress, egressMethods } from './egress';
import { checkGrant, peekClaims, verifyToken, type Claims } from './grants';
import { joinRoom, leaveRoom } from './participants';
import { roomMethods } from './rooms';
import { answerValidate, createSignalling } from './signal';
import type { Method, Outcome, State } from './state';
import { TwirpError, writePlain401, writeTwirpError, writeTwirpReply } from './twirp';
import { createWebhookSender } from './webhooks';
import type { FakeLiveKit, FakeLiveKitOptions, RecordedRequest, SignalRecord } from './types';

const services: Record<string, Record<string, Method<unknown>>> = {
  'livekit.RoomService': roomMethods,
  'livekit.Egress': egressMethods,
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function record(req: IncomingMessage, url: URL, text: string, log: RecordedRequest[]): void {
  const [, , pkgService = '', method = ''] = url.pathname.split('/');
  const authorization = req.headers.authorization ?? null;
  const parsed = parseJson(text);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = String(v);
  log.push({
    service: pkgService.replace(/^livekit\./, ''),
    method,
    body: parsed.ok ? parsed.value : null,
    authorization,
    grants: peekClaims(authorization?.startsWith('Bearer ') ? authorization.slice(7) : null),
    headers,
  });
}

/** APIKeyAuthMiddleware: a present but bad credential never reaches Twirp; an absent one does. */
async function authenticate(req: IncomingMessage, url: URL, res: ServerResponse, state: State) {
  const header = req.headers.authorization ?? '';
  if (header && !header.startsWith('Bearer ')) {
    writePlain401(res, 'invalid authorization header. Must start with Bearer ');
    return { done: true as const };
  }
  const token = header ? header.slice('Bearer '.length) : url.searchParams.get('access_token') ?? '';
  if (!token) return { done: false as const, claims: null };
  const check = await verifyToken(token, state.apiKey, state.apiSecret);
  if (!check.ok) {
    writePlain401(res, check.reason);
    return { done: true as const };
  }
  return { done: false as const, claims: check.claims };
}

function route(req: IncomingMessage, url: URL): { method: Method<unknown>; name: string } {
  const invalid = { twirp_invalid_route: `${req.method} ${url.pathname}` };
  if (req.method !== 'POST') {
    throw new TwirpError('bad_route', `unsupported method "${req.method}" (only POST is allowed)`, invalid);
  }
  const [, prefix, pkgService = '', name = ''] = url.pathname.split('/');
  const method = prefix === 'twirp' ? services[pkgService]?.[name] : undefined;
  if (!method) throw new TwirpError('bad_route', `no handler for path "${url.pathname}"`, invalid);
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType === 'application/protobuf') throw new TwirpError('unimplemented', 'the fake speaks JSON only');
  if (contentType !== 'application/json') {
    throw new TwirpError('bad_route', `unexpected Content-Type: "${req.headers['content-type'] ?? ''}"`, invalid);
  }
  return { method, name: `${pkgService.replace(/^livekit\./, '')}/${name}` };
}

function runTwirp(req: IncomingMessage, url: URL, text: string, claims: Claims | null, state: State): Outcome {
  const { method, name } = route(req, url);
  const parsed = parseJson(text);
  let decoded: unknown;
  try {
    if (!parsed.ok) throw new Error('not JSON');
    decoded = method.decode(parsed.value);
  } catch {
    throw new TwirpError('malformed', 'the json request could not be decoded');
  }
  const denied = checkGrant(name, claims, method.room(decoded));
  if (denied) throw denied;
  return method.handle(state, decoded);
}

export async function startFakeLiveKit(opts: FakeLiveKitOptions = {}): Promise<FakeLiveKit> {
  const log: RecordedRequest[] = [];
  const delivered: FakeLiveKit['webhooks'] = [];
  const pending = new Set<Promise<void>>();
  const apiKey = opts.apiKey ?? 'APIfakekey';
  const apiSecret = opts.apiSecret ?? 'fake-livekit-secret-with-enough-entropy-0123456789';
  let webhookUrl = opts.webhookUrl ?? null;
  const webhooks = createWebhookSender({ apiKey, apiSecret, url: () => webhookUrl, log: delivered });
  const state: State = {
    apiKey, apiSecret, rooms: new Map(), egresses: new Map(), webhooks,
    autoCreateRooms: opts.autoCreateRooms ?? true,
    autoFinishOnStop: opts.autoFinishOnStop ?? true,
    enableRemoteUnmute: opts.enableRemoteUnmute ?? false,
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = await readBody(req);
      if (await answerValidate(req, url, res, state)) return;
      if (url.pathname.startsWith('/twirp/')) record(req, url, text, log);
      const auth = await authenticate(req, url, res, state);
      if (auth.done) return;
      let outcome: Outcome;
      try {
        outcome = runTwirp(req, url, text, auth.claims, state);
      } catch (err) {
        writeTwirpError(res, err instanceof TwirpError ? err : new TwirpError('internal', String(err)));
        return;
      }
      writeTwirpReply(res, outcome.reply);
      const work = webhooks.emit(...(outcome.events ?? [])).then(() => outcome.after?.());
      pending.add(work);
      void work.finally(() => pending.delete(work));
    })().catch((err: unknown) => {
      if (!res.headersSent) writeTwirpError(res, new TwirpError('internal', String(err)));
    });
  });
  const signals: SignalRecord[] = [];
  const signalling = createSignalling(state, signals);
  server.on('upgrade', signalling.upgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    apiSecret,
    rooms: state.rooms,
    egresses: state.egresses,
    requests: log,
    webhooks: delivered,
    signals,
    get webhookUrl() { return webhookUrl; },
    set webhookUrl(value: string | null) { webhookUrl = value; },
    join: (token, joinOpts) => joinRoom(state, token, joinOpts),
    leave: (room, identity) => leaveRoom(state, room, identity),
    sendWebhook: (event, sendOpts) => webhooks.send(event, sendOpts),
    async webhooksSettled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
      await webhooks.settled();
    },
    async finishEgress(egressId, file) {
      const egress = state.egresses.get(egressId);
      if (!egress) throw new Error(`no egress ${egressId}`);
      await webhooks.emit(completeEgress(egress, file));
    },
    close: () => new Promise<void>((resolve, reject) => {
      signalling.close();
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}
