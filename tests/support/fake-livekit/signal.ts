// The client signalling livekit-client speaks (SignalClient): `GET /rtc/validate` and the `/rtc` WebSocket
// with binary SignalRequest/SignalResponse frames. Like a livekit-server without the v1 path, `/rtc/v1`
// answers 404 so the client falls back to `/rtc`. A refused token is an HTTP error before the upgrade,
// with the server's status and text. Only signalling: no SDP answer, no ICE, no media (see server.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { JoinResponse, ServerInfo, ServerInfo_Edition, SignalRequest, SignalResponse, Pong } from '@livekit/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import { leftEvent } from './rooms';
import { addParticipant, checkJoinToken } from './participants';
import type { State } from './state';
import type { SignalRecord } from './types';
import { participantMessage, roomMessage } from './wire';

const SERVER_VERSION = '1.9.0';
const NOT_FOUND = '404 page not found\n';

/** `GET /rtc/validate` (true) and `/rtc/v1/validate` (404, as before v1); false for any other path. */
export async function answerValidate(req: IncomingMessage, url: URL, res: ServerResponse, state: State): Promise<boolean> {
  if (!url.pathname.startsWith('/rtc')) return false;
  // livekit-server answers the browser's cross-origin probe.
  const headers = { 'Content-Type': 'text/plain; charset=utf-8', 'Access-Control-Allow-Origin': '*' };
  if (req.method !== 'GET' || url.pathname !== '/rtc/validate') {
    res.writeHead(404, headers).end(NOT_FOUND);
    return true;
  }
  const check = await checkJoinToken(state, url.searchParams.get('access_token') ?? '');
  if (check.ok) res.writeHead(200, headers).end('success');
  else res.writeHead(check.status, headers).end(check.reason);
  return true;
}

function refuse(socket: Duplex, status: number, text: string): void {
  const reason = status === 401 ? 'Unauthorized' : 'Not Found';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

const send = (ws: WebSocket, message: SignalResponse['message']) => ws.send(new SignalResponse({ message }).toBinary());

/** Handles the server's `upgrade` events: `/rtc` with a good token joins the room. */
export function createSignalling(state: State, log: SignalRecord[]) {
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== '/rtc') return refuse(socket, 404, NOT_FOUND);
    const check = await checkJoinToken(state, url.searchParams.get('access_token') ?? '');
    if (!check.ok) {
      log.push({ kind: 'refused', status: check.status, reason: check.reason });
      return refuse(socket, check.status, check.reason);
    }
    let added: ReturnType<typeof addParticipant>;
    try {
      added = addParticipant(state, check.claims, check.roomName);
    } catch (e) {
      return refuse(socket, 401, (e as Error).message);
    }
    const { room, participant, events } = added;
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      log.push({ kind: 'join', room: room.name, identity: participant.identity, claims: check.claims });
      send(ws, {
        case: 'join',
        value: new JoinResponse({
          room: roomMessage(room),
          participant: participantMessage(participant),
          otherParticipants: [...room.participants.values()].filter((p) => p !== participant).map(participantMessage),
          serverVersion: SERVER_VERSION,
          subscriberPrimary: true,
          pingTimeout: 15,
          pingInterval: 5,
          serverInfo: new ServerInfo({ edition: ServerInfo_Edition.Standard, version: SERVER_VERSION, protocol: 16, nodeId: 'ND_fake' }),
        }),
      });
      void state.webhooks.emit(...events);
      const leave = () => {
        // Only this connection's participant: a later one with the same identity replaced it.
        if (room.participants.get(participant.identity) !== participant) return;
        room.participants.delete(participant.identity);
        log.push({ kind: 'leave', room: room.name, identity: participant.identity });
        void state.webhooks.emit(leftEvent(room, participant));
      };
      ws.on('message', (data, isBinary) => {
        if (!isBinary) return;
        const req = SignalRequest.fromBinary(new Uint8Array(data as Buffer));
        const m = req.message;
        log.push({ kind: 'request', room: room.name, identity: participant.identity, message: m.case ?? 'unknown' });
        if (m.case === 'ping') send(ws, { case: 'pong', value: m.value });
        else if (m.case === 'pingReq') send(ws, { case: 'pongResp', value: new Pong({ lastPingTimestamp: m.value.timestamp, timestamp: BigInt(Date.now()) }) });
        else if (m.case === 'leave') { leave(); ws.close(); }
      });
      ws.on('close', () => { sockets.delete(ws); leave(); });
    });
  }

  return {
    upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => { void upgrade(req, socket, head).catch(() => socket.destroy()); },
    close: () => { for (const ws of sockets) ws.terminate(); wss.close(); },
  };
}
