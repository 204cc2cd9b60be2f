// Encoding of replies the way the Twirp Go server does it: protojson with the proto field names
// (snake_case) and unpopulated fields emitted; int64 as strings, enums as names.
import { randomBytes } from 'node:crypto';
// @livekit/protocol is the SDK's own dependency: the same generated messages the SDK parses replies with.
import {
  EgressInfo, EgressStatus, FileInfo, ParticipantInfo, ParticipantInfo_State, ParticipantPermission, Room,
  TrackInfo, TrackSource, TrackType,
} from '@livekit/protocol';
import type { FakeEgress, FakeParticipant, FakeRoom, FakeTrack } from './types';

const protoJson = { useProtoFieldName: true, emitDefaultValues: true } as const;
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Ids shaped like the server's (prefix + 12 base62 characters). */
export function newSid(prefix: 'RM_' | 'PA_' | 'TR_' | 'EG_' | 'EV_'): string {
  return prefix + Array.from(randomBytes(12), (b) => alphabet[b % alphabet.length]).join('');
}

const msToNs = (ms: number): bigint => BigInt(ms) * 1_000_000n;
const msToS = (ms: number): bigint => BigInt(Math.floor(ms / 1000));

export function roomMessage(room: FakeRoom): Room {
  const publishers = [...room.participants.values()].filter((p) => p.tracks.length > 0).length;
  return new Room({
    sid: room.sid,
    name: room.name,
    emptyTimeout: room.emptyTimeout,
    departureTimeout: room.departureTimeout,
    maxParticipants: room.maxParticipants,
    creationTime: msToS(room.createdAt),
    creationTimeMs: BigInt(room.createdAt),
    metadata: room.metadata,
    numParticipants: room.participants.size,
    numPublishers: publishers,
  });
}

const trackTypes: Record<FakeTrack['type'], { type: TrackType; source: TrackSource }> = {
  audio: { type: TrackType.AUDIO, source: TrackSource.MICROPHONE },
  video: { type: TrackType.VIDEO, source: TrackSource.CAMERA },
  screen_share: { type: TrackType.VIDEO, source: TrackSource.SCREEN_SHARE },
};

export function trackMessage(track: FakeTrack): TrackInfo {
  return new TrackInfo({ sid: track.sid, muted: track.muted, ...trackTypes[track.type] });
}

export function participantMessage(p: FakeParticipant): ParticipantInfo {
  return new ParticipantInfo({
    sid: p.sid,
    identity: p.identity,
    state: ParticipantInfo_State.ACTIVE,
    tracks: p.tracks.map(trackMessage),
    metadata: p.metadata,
    joinedAt: msToS(p.joinedAt ?? 0),
    joinedAtMs: BigInt(p.joinedAt ?? 0),
    name: p.name,
    permission: new ParticipantPermission(p.permission ?? { canSubscribe: true, canPublish: true, canPublishData: true }),
    isPublisher: p.tracks.length > 0,
    attributes: p.attributes ?? {},
  });
}

export function egressMessage(e: FakeEgress): EgressInfo {
  const info = new EgressInfo({
    egressId: e.egressId,
    roomId: e.roomSid ?? '',
    roomName: e.roomName,
    status: EgressStatus[e.status],
    startedAt: e.status === 'EGRESS_STARTING' ? 0n : msToNs(e.startedAt),
    endedAt: e.endedAt === undefined ? 0n : msToNs(e.endedAt),
    updatedAt: msToNs(e.endedAt ?? e.startedAt),
    request: e.request ? { case: 'roomComposite', value: e.request } : { case: undefined },
  });
  if (e.file) {
    const file = new FileInfo({
      filename: e.file.filename,
      location: e.file.location,
      size: BigInt(e.file.size),
      duration: BigInt(e.file.duration),
      startedAt: msToNs(e.startedAt),
      endedAt: msToNs(e.endedAt ?? e.startedAt),
    });
    info.fileResults = [file];
    info.result = { case: 'file', value: file };
  }
  return info;
}

/** Serialises a reply message as the Twirp server would. */
export function toWire(message: { toJson(o: typeof protoJson): unknown }): unknown {
  return message.toJson(protoJson);
}
