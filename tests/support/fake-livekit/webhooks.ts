// Webhooks as livekit-server's URL notifier sends them: the body is the WebhookEvent in protojson
// (camelCase), Authorization is a bare JWT (no "Bearer") signed HS256 with the API secret, iss = API
// key, valid five minutes, carrying sha256 = base64(sha256(body)).
import { createHash } from 'node:crypto';
import { WebhookEvent, type EgressInfo, type ParticipantInfo, type Room, type TrackInfo } from '@livekit/protocol';
import { SignJWT } from 'jose';
import { newSid } from './wire';
import type { DeliveredWebhook, SendWebhookOptions } from './types';

export interface EventInit {
  event: 'room_started' | 'room_finished' | 'participant_joined' | 'participant_left' | 'track_published'
    | 'egress_started' | 'egress_updated' | 'egress_ended';
  room?: Room;
  participant?: ParticipantInfo;
  track?: TrackInfo;
  egressInfo?: EgressInfo;
}

export interface WebhookTarget {
  apiKey: string;
  apiSecret: string;
  url(): string | null;
  log: DeliveredWebhook[];
}

export async function signWebhook(body: string, apiKey: string, apiSecret: string): Promise<string> {
  const sha256 = createHash('sha256').update(body).digest('base64');
  return new SignJWT({ sha256 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(apiKey)
    .setNotBefore(new Date())
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(apiSecret));
}

export function eventJson(init: EventInit, now = Date.now()): Record<string, unknown> {
  const event = new WebhookEvent({ ...init, id: newSid('EV_'), createdAt: BigInt(Math.floor(now / 1000)) });
  return event.toJson() as Record<string, unknown>;
}

export function createWebhookSender(target: WebhookTarget) {
  let chain: Promise<unknown> = Promise.resolve();

  async function send(event: Record<string, unknown>, opts: SendWebhookOptions = {}): Promise<Response | null> {
    const url = target.url();
    if (!url) return null;
    const signed = JSON.stringify(event);
    const authorization = await signWebhook(signed, target.apiKey, opts.apiSecret ?? target.apiSecret);
    const body = opts.tamper ? opts.tamper(signed) : signed;
    const entry: DeliveredWebhook = { event: String(event.event ?? ''), body, authorization, status: null };
    target.log.push(entry);
    const res = await fetch(url, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/webhook+json' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    entry.status = res.status;
    return res;
  }

  /** Queues events in order; delivery failures are logged (status null), never thrown, as the server drops them. */
  function emit(...inits: EventInit[]): Promise<void> {
    const next = chain.then(async () => {
      for (const init of inits) {
        try {
          const res = await send(eventJson(init));
          await res?.arrayBuffer();
        } catch {
          // The server gives up on a receiver it cannot reach; the log entry keeps status null.
        }
      }
    });
    chain = next;
    return next;
  }

  return { send, emit, settled: (): Promise<void> => chain.then(() => undefined) };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;
