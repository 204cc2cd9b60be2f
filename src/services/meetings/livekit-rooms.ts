import { decodeJwt } from 'jose';
import {
  AccessToken, DataPacket_Kind, EgressClient, EgressStatus, EncodedFileOutput, RoomServiceClient, ServerError, TrackSource, WebhookReceiver,
  type EgressInfo, type WebhookEvent,
} from 'livekit-server-sdk';
import type { MeetingSettings } from '../../context';
import { AppError } from '../../lib/errors';
import type { EgressNotice, PublishSource, RecordingFile, VideoRooms, WebhookEventName, WebhookNotice } from './video-rooms';
import { WebhookRejected } from './video-rooms';

type LiveKitSettings = NonNullable<MeetingSettings['livekit']>;

/** Seconds per call to the LiveKit server; a meeting operation waits no longer. */
const REQUEST_TIMEOUT_S = 10;

const SOURCES: Record<PublishSource, TrackSource> = {
  camera: TrackSource.CAMERA, microphone: TrackSource.MICROPHONE, screen_share: TrackSource.SCREEN_SHARE, screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
};

const EGRESS_STATUS: Partial<Record<EgressStatus, EgressNotice['status']>> = {
  [EgressStatus.EGRESS_STARTING]: 'starting', [EgressStatus.EGRESS_ACTIVE]: 'active', [EgressStatus.EGRESS_ENDING]: 'ending',
  [EgressStatus.EGRESS_COMPLETE]: 'complete', [EgressStatus.EGRESS_FAILED]: 'failed', [EgressStatus.EGRESS_ABORTED]: 'aborted',
  [EgressStatus.EGRESS_LIMIT_REACHED]: 'limit_reached',
};

const EVENTS: readonly WebhookEventName[] = [
  'room_started', 'room_finished', 'participant_joined', 'participant_left', 'participant_connection_aborted',
  'track_published', 'track_unpublished', 'egress_started', 'egress_updated', 'egress_ended',
];

/**
 * VideoRooms over livekit-server-sdk, built only from the configured values: the SDK's own fallback to
 * `process.env` does not exist on Workers, so the host, key and secret are always passed explicitly.
 */
export function livekitVideoRooms(settings: LiveKitSettings): VideoRooms {
  const { url, apiKey, apiSecret } = settings;
  // Region failover only applies to LiveKit Cloud and would retry against hosts we did not configure.
  const options = { requestTimeout: REQUEST_TIMEOUT_S, failover: false };
  const rooms = new RoomServiceClient(url, apiKey, apiSecret, options);
  const egress = new EgressClient(url, apiKey, apiSecret, options);
  const webhooks = new WebhookReceiver(apiKey, apiSecret);
  return {
    url,
    createRoom: (room) => upstream('create the room', async () => { await rooms.createRoom({ ...room }); }),
    deleteRoom: (name) => upstream('delete the room', () => rooms.deleteRoom(name), { ignoreNotFound: true }),
    listRooms: (names) => upstream('list the rooms', async () => (await rooms.listRooms(names)).map((r) => ({ name: r.name, participants: r.numParticipants }))),
    removeParticipant: (room, identity) => upstream('remove the participant', () => rooms.removeParticipant(room, identity), { ignoreNotFound: true }),
    mutePublishedTrack: (room, identity, trackSid, muted) => upstream('mute the track', async () => { await rooms.mutePublishedTrack(room, identity, trackSid, muted); }),
    sendData: (room, topic, data) => upstream('send to the room', () => rooms.sendData(room, data, DataPacket_Kind.RELIABLE, { topic })),
    startRoomCompositeEgress: (room, filepath) => upstream('start the recording', async () => {
      const info = await egress.startRoomCompositeEgress(room, new EncodedFileOutput({ filepath }), { layout: 'grid' });
      return { egressId: info.egressId };
    }),
    stopEgress: (egressId) => upstream('stop the recording', async () => { await egress.stopEgress(egressId); }, { ignoreNotFound: true }),
    async mintToken(identity, name, grants, ttlSeconds) {
      const at = new AccessToken(apiKey, apiSecret, { identity, name, ttl: ttlSeconds });
      at.addGrant({
        roomJoin: true, room: grants.room, canPublish: grants.canPublishSources.length > 0,
        canPublishSources: grants.canPublishSources.map((s) => SOURCES[s]), canSubscribe: grants.canSubscribe, canPublishData: grants.canPublishData,
        roomCreate: false, roomAdmin: false, roomRecord: false, roomList: false,
      });
      const token = await at.toJwt();
      const exp = decodeJwt(token).exp ?? 0;
      return { token, expiresAt: new Date(exp * 1000).toISOString() };
    },
    async verifyWebhook(body, authorization) {
      let event: WebhookEvent;
      try {
        event = await webhooks.receive(body, authorization);
      } catch (e) {
        throw new WebhookRejected(e instanceof Error ? e.message : 'the webhook does not verify');
      }
      return toNotice(event);
    },
  };
}

function toNotice(e: WebhookEvent): WebhookNotice {
  const event = (EVENTS as readonly string[]).includes(e.event) ? (e.event as WebhookEventName) : 'other';
  return {
    id: e.id, event, createdAt: Number(e.createdAt) * 1000,
    room: e.room?.name || e.egressInfo?.roomName || null,
    identity: e.participant?.identity || null,
    egress: e.egressInfo ? toEgressNotice(e.egressInfo) : null,
  };
}

function toEgressNotice(info: EgressInfo): EgressNotice {
  const file = info.fileResults[0] ?? (info.result.case === 'file' ? info.result.value : undefined);
  const result: RecordingFile | null = file
    ? { location: file.location || file.filename, size: Number(file.size), durationMs: Math.round(Number(file.duration) / 1e6) }
    : null;
  return { egressId: info.egressId, status: EGRESS_STATUS[info.status] ?? 'unknown', error: info.error || null, file: result };
}

/** A call to LiveKit; its failure is the video server's (503), said without its credentials. */
async function upstream<T>(what: string, call: () => Promise<T>, o: { ignoreNotFound?: boolean } = {}): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (o.ignoreNotFound && e instanceof ServerError && e.status === 404) return undefined as T;
    const why = e instanceof ServerError ? `${e.status}${e.code ? ` ${e.code}` : ''}` : e instanceof Error ? e.name : 'error';
    throw new AppError('upstream_unavailable', `the video server could not ${what} (${why})`, { cause: e });
  }
}
