/** State and public surface of the fake LiveKit server. Times in state are Unix milliseconds. */
import type { RoomCompositeEgressRequest } from '@livekit/protocol';

export type TrackKind = 'audio' | 'video' | 'screen_share';

export interface FakeTrack {
  sid: string;
  type: TrackKind;
  muted: boolean;
}

export interface FakeParticipant {
  identity: string;
  sid: string;
  name: string;
  metadata: string;
  tracks: FakeTrack[];
  // Optional so tests may seed participants with the brief's shape; join() always sets them.
  attributes?: Record<string, string>;
  /** The token's publish/subscribe rights, as the server derives ParticipantPermission. */
  permission?: { canSubscribe: boolean; canPublish: boolean; canPublishData: boolean };
  joinedAt?: number;
}

export interface FakeRoom {
  name: string;
  sid: string;
  emptyTimeout: number;
  departureTimeout: number;
  maxParticipants: number;
  metadata: string;
  createdAt: number;
  participants: Map<string, FakeParticipant>;
  /** SendData payloads, decoded from bytes as UTF-8 text. */
  data: { payload: string; topic?: string; at: number }[];
}

export type FakeEgressStatus =
  | 'EGRESS_STARTING' | 'EGRESS_ACTIVE' | 'EGRESS_ENDING' | 'EGRESS_COMPLETE' | 'EGRESS_FAILED' | 'EGRESS_ABORTED';

export interface FakeEgress {
  egressId: string;
  roomName: string;
  roomSid?: string;
  status: FakeEgressStatus;
  startedAt: number;
  endedAt?: number;
  /** The filepath the request asked for (first file output), if any. */
  filepath?: string;
  /** The decoded request, echoed back in EgressInfo.request as the server does. */
  request?: RoomCompositeEgressRequest;
  file?: { filename: string; location: string; size: number; duration: number };
}

export interface RecordedRequest {
  service: string;
  method: string;
  /** The JSON body exactly as parsed from the wire (null when it was not JSON). */
  body: unknown;
  authorization: string | null;
  /** The bearer token's payload, decoded without verification (null when absent or undecodable). */
  grants: unknown;
  headers: Record<string, string>;
}

/** What the client signalling saw: joins (with the token's verified claims), refusals, requests by case, leaves. */
export type SignalRecord =
  | { kind: 'join'; room: string; identity: string; claims: Record<string, unknown> }
  | { kind: 'refused'; status: number; reason: string }
  | { kind: 'request'; room: string; identity: string; message: string }
  | { kind: 'leave'; room: string; identity: string };

export interface DeliveredWebhook {
  event: string;
  body: string;
  authorization: string;
  /** HTTP status from the receiver, or null when delivery failed at the transport. */
  status: number | null;
}

export interface SendWebhookOptions {
  /** Sign with this secret instead of the server's (a forged or misconfigured sender). */
  apiSecret?: string;
  /** Replace the body after signing (tampering in transit). */
  tamper?: (body: string) => string;
}

export interface FakeLiveKit {
  url: string;
  apiKey: string;
  apiSecret: string;
  rooms: Map<string, FakeRoom>;
  egresses: Map<string, FakeEgress>;
  /** Every Twirp call as received, including those refused by auth. */
  requests: RecordedRequest[];
  /** Every webhook the server sent, in order. */
  webhooks: DeliveredWebhook[];
  /** Every client signalling event on `/rtc` (livekit-client's WebSocket), in order. */
  signals: SignalRecord[];
  /**
   * Simulates a client connecting with `token` (as /rtc would): verifies the signature, exp/nbf, iss,
   * video.roomJoin and (when `opts.room` is given) that video.room is that room. Creates the room when
   * missing (the server's default auto_create), then fires room_started, participant_joined and
   * one track_published per track.
   */
  join(token: string, opts?: { tracks?: TrackKind[]; room?: string }): Promise<{
    identity: string; sid: string; tracks: { sid: string; type: string }[];
  }>;
  /** The participant disconnects: fires participant_left. */
  leave(room: string, identity: string): Promise<void>;
  webhookUrl: string | null;
  /** Signs and POSTs one event as livekit-server does; null when no webhookUrl is set. */
  sendWebhook(event: Record<string, unknown>, opts?: SendWebhookOptions): Promise<Response | null>;
  /** Resolves once every webhook queued by Twirp calls so far has been delivered. */
  webhooksSettled(): Promise<void>;
  /** Completes an active (or ending) egress: fires egress_ended with a file result. */
  finishEgress(egressId: string, file?: { location: string; size: number; durationNs: number }): Promise<void>;
  close(): Promise<void>;
}

export interface FakeLiveKitOptions {
  apiKey?: string;
  apiSecret?: string;
  webhookUrl?: string | null;
  /** The server creates a room when a participant joins one that does not exist (default true). */
  autoCreateRooms?: boolean;
  /** StopEgress completes the egress right after replying, as the egress worker would (default true). */
  autoFinishOnStop?: boolean;
  /** remote unmute via MutePublishedTrack; the server refuses it unless enabled (default false). */
  enableRemoteUnmute?: boolean;
}
