// A client connecting with a token, as /rtc validates it: the same token checks as the API, then
// video.roomJoin, an identity, and the room named by video.room (created on demand: auto_create).
import { createRoomState, leftEvent } from './rooms';
import { verifyToken, type Claims } from './grants';
import type { State } from './state';
import type { EventInit } from './webhooks';
import { newSid, participantMessage, roomMessage, trackMessage } from './wire';
import type { FakeParticipant, FakeTrack, TrackKind } from './types';

const sourceOf: Record<TrackKind, string> = { audio: 'microphone', video: 'camera', screen_share: 'screen_share' };

function assertMayPublish(claims: Claims, kinds: TrackKind[]): void {
  if (kinds.length === 0) return;
  const video = claims.video ?? {};
  if (video.canPublish === false) throw new Error('participant may not publish: canPublish is false');
  const allowed = video.canPublishSources;
  const refused = allowed?.length ? kinds.filter((k) => !allowed.includes(sourceOf[k])) : [];
  if (refused.length > 0) throw new Error(`participant may not publish ${refused.join(', ')}`);
}

export async function joinRoom(state: State, token: string, opts: { tracks?: TrackKind[]; room?: string } = {}) {
  const check = await verifyToken(token, state.apiKey, state.apiSecret);
  if (!check.ok) throw new Error(check.reason);
  const { claims } = check;
  if (claims.video?.roomJoin !== true) throw new Error('permissions denied');
  const roomName = claims.video.room ?? '';
  if (!roomName) throw new Error('no room name');
  if (opts.room !== undefined && opts.room !== roomName) {
    throw new Error(`token is for room "${roomName}", not "${opts.room}"`);
  }
  if (!claims.sub) throw new Error('identity cannot be empty');
  const kinds = opts.tracks ?? [];
  assertMayPublish(claims, kinds);

  const events: EventInit[] = [];
  let room = state.rooms.get(roomName);
  if (!room) {
    if (!state.autoCreateRooms) throw new Error('requested room does not exist');
    room = createRoomState(state, { name: roomName });
    events.push({ event: 'room_started', room: roomMessage(room) });
  }
  const previous = room.participants.get(claims.sub);
  if (previous) {
    // A second connection with the same identity replaces the first (DUPLICATE_IDENTITY).
    room.participants.delete(previous.identity);
    events.push(leftEvent(room, previous));
  } else if (room.maxParticipants > 0 && room.participants.size >= room.maxParticipants) {
    throw new Error('room is full');
  }

  const participant: FakeParticipant = {
    identity: claims.sub,
    sid: newSid('PA_'),
    name: claims.name ?? '',
    metadata: claims.metadata ?? '',
    tracks: [],
    attributes: { ...claims.attributes },
    permission: {
      canSubscribe: claims.video.canSubscribe ?? true,
      canPublish: claims.video.canPublish ?? true,
      canPublishData: claims.video.canPublishData ?? true,
    },
    joinedAt: Date.now(),
  };
  room.participants.set(participant.identity, participant);
  events.push({ event: 'participant_joined', room: roomMessage(room), participant: participantMessage(participant) });
  for (const kind of kinds) {
    const track: FakeTrack = { sid: newSid('TR_'), type: kind, muted: false };
    participant.tracks.push(track);
    events.push({
      event: 'track_published', room: roomMessage(room), participant: participantMessage(participant), track: trackMessage(track),
    });
  }
  await state.webhooks.emit(...events);
  return {
    identity: participant.identity,
    sid: participant.sid,
    tracks: participant.tracks.map((t) => ({ sid: t.sid, type: t.type })),
  };
}

export async function leaveRoom(state: State, roomName: string, identity: string): Promise<void> {
  const room = state.rooms.get(roomName);
  const participant = room?.participants.get(identity);
  if (!room || !participant) throw new Error(`participant ${identity} is not in room ${roomName}`);
  room.participants.delete(identity);
  await state.webhooks.emit(leftEvent(room, participant));
}
