/**
 * The video server as the meeting services see it: rooms, moderation, recording and tokens, in our own
 * types. LiveKit's objects never pass this port (they carry TURN credentials and server details).
 * @example const { token } = await rooms.mintToken('gaoxin.applicant', '李四', grantsFor('applicant', 'hs-mt_x'), 900);
 */
export interface VideoRooms {
  /** The server URL clients connect to (LIVEKIT_URL). */
  readonly url: string;
  createRoom(room: NewRoom): Promise<void>;
  /** Deletes the room and disconnects everyone; a room already gone is not an error. */
  deleteRoom(name: string): Promise<void>;
  /** The rooms that exist now, among `names` (all when absent). */
  listRooms(names?: string[]): Promise<RoomSummary[]>;
  /** A participant not in the room (any more) is not an error. */
  removeParticipant(room: string, identity: string): Promise<void>;
  mutePublishedTrack(room: string, identity: string, trackSid: string, muted: boolean): Promise<void>;
  /** A reliable data message to everyone in the room, under `topic`. */
  sendData(room: string, topic: string, data: Uint8Array): Promise<void>;
  /** Room-composite recording to the server's configured storage; answers the egress id. */
  startRoomCompositeEgress(room: string, filepath: string): Promise<{ egressId: string }>;
  stopEgress(egressId: string): Promise<void>;
  /** A join token for one identity, limited to `grants`, valid `ttlSeconds` (the callers keep it <= 900). */
  mintToken(identity: string, name: string, grants: RoomGrants, ttlSeconds: number): Promise<MintedToken>;
  /** A webhook verified over its raw body and the `Authorization` header; throws WebhookRejected. */
  verifyWebhook(body: string, authorization: string | undefined): Promise<WebhookNotice>;
}

export interface NewRoom {
  name: string;
  maxParticipants: number;
  /** Seconds a room may stay empty before the server closes it, before anyone joined. */
  emptyTimeout: number;
  /** Seconds the room stays after the last participant left. */
  departureTimeout: number;
  metadata: string;
}

export interface RoomSummary {
  name: string;
  participants: number;
}

export type PublishSource = 'camera' | 'microphone' | 'screen_share' | 'screen_share_audio';

/** The only grants a minted token may carry: joining one room. Never roomCreate, roomAdmin or roomRecord. */
export interface RoomGrants {
  room: string;
  canPublishSources: PublishSource[];
  canSubscribe: boolean;
  canPublishData: boolean;
}

export interface MintedToken {
  token: string;
  /** ISO 8601, from the token's own `exp`. */
  expiresAt: string;
}

export type WebhookEventName =
  | 'room_started' | 'room_finished' | 'participant_joined' | 'participant_left' | 'participant_connection_aborted'
  | 'track_published' | 'track_unpublished' | 'egress_started' | 'egress_updated' | 'egress_ended' | 'other';

/** A LiveKit webhook reduced to what the meetings record. */
export interface WebhookNotice {
  id: string;
  event: WebhookEventName;
  /** When LiveKit made the event (ms since the epoch); 0 when it did not say. */
  createdAt: number;
  room: string | null;
  identity: string | null;
  egress: EgressNotice | null;
}

export interface EgressNotice {
  egressId: string;
  status: 'starting' | 'active' | 'ending' | 'complete' | 'failed' | 'aborted' | 'limit_reached' | 'unknown';
  error: string | null;
  /** The file, when the egress wrote one. */
  file: RecordingFile | null;
}

/** A finished recording as the case keeps it. */
export interface RecordingFile {
  location: string;
  size: number;
  durationMs: number;
}

/** The webhook's signature or body digest did not verify. */
export class WebhookRejected extends Error {
  override readonly name = 'WebhookRejected';
}
