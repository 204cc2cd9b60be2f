import type { EventInit, WebhookSender } from './webhooks';
import type { FakeEgress, FakeRoom } from './types';

export interface State {
  apiKey: string;
  apiSecret: string;
  rooms: Map<string, FakeRoom>;
  egresses: Map<string, FakeEgress>;
  autoCreateRooms: boolean;
  autoFinishOnStop: boolean;
  enableRemoteUnmute: boolean;
  webhooks: WebhookSender;
}

/** What a Twirp method does: its JSON reply, webhooks to send after replying, and work to run after those. */
export interface Outcome {
  reply: unknown;
  events?: EventInit[];
  after?: () => Promise<void>;
}

export interface Method<Req> {
  /** Decodes the JSON body as protojson would (throws on a type mismatch -> malformed). */
  decode(json: unknown): Req;
  /** The room the grant must name (roomAdmin methods); '' otherwise. */
  room(req: Req): string;
  handle(state: State, req: Req): Outcome;
}

/** Keeps the request type private to each table entry. */
export function method<Req>(m: {
  decode(json: unknown): Req;
  room(req: NoInfer<Req>): string;
  handle(state: State, req: NoInfer<Req>): Outcome;
}): Method<unknown> {
  return m as Method<unknown>;
}
