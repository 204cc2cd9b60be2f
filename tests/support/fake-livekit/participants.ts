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

/** Why /rtc refuses a token, with the status livekit-server answers (rtcservice.go validateInternal). */
export type JoinCheck = { ok: true; claims: Claims & { sub: string }; roomName: string } | { ok: false; status: 401 | 404; reason: string };

export async function checkJoinToken(state: State, token: string, room?: string): Promise<JoinCheck> {
  const check = await verifyToken(token, state.apiKey, state.apiSecret);
  if (!check.ok) return { ok: false, status: 401, reason: check.reason };
  const { claims } = check;
  if (claims.video?.roomJoin !== true) return { ok: false, status: 401, reason: 'permissions denied' };
  const roomName = claims.video.room ?? '';
  if (!roomName) return { ok: false, status: 401, reason: 'no room name' };
  if (room !== undefined && room !== roomName) return { ok: false, status: 401, reason: `token is for room "${roomName}", not "${room}"` };
  if (!claims.sub) return { ok: false, status: 401, reason: 'identity cannot be empty' };
  if (!state.rooms.has(roomName) && !state.autoCreateRooms) return { ok: false, status: 404, reason: 'requested room does not exist' };
  return { ok: true, claims: claims as Claims & { sub: string }, roomName };
}

/**
 * Puts the token's identity in its room (created on demand), replacing an earlier connection of the same
 * identity; returns the webhooks to send. Throws when the room is full.
 */
export function addParticipant(state: State, claims: Claims & { sub: string }, roomName: string, kinds: TrackKind[] = []) {
  const events: EventInit[] = [];
  let room = state.rooms.get(roomName);
  if (!room) {
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
  const video = claims.video ?? {};
  const participant: FakeParticipant = {
    identity: claims.sub,
    sid: newSid('PA_'),
    name: claims.name ?? '',
    metadata: claims.metadata ?? '',
    tracks: [],
    attributes: { ...claims.attributes },
    permission: { canSubscribe: video.canSubscribe ?? true, canPublish: video.canPublish ?? true, canPublishData: video.canPublishData ?? true },
    joinedAt: Date.now(),
  };
  room.participants.set(participant.identity, participant);
  events.push({ event: 'participant_joined', room: roomMessage(room), participant: participantMessage(participant) });
  for (const kind of kinds) {
    const track: FakeTrack = { sid: newSid('TR_'), type: kind, muted: false };
    participant.tracks.push(track);
    events.push({ event: 'track_published', room: roomMessage(room), participant: participantMessage(participant), track: trackMessage(track) });
  }
  return { room, participant, events };
}

export async function joinRoom(state: State, token: string, opts: { tracks?: TrackKind[]; room?: string } = {}) {
  const check = await checkJoinToken(state, token, opts.room);
  if (!check.ok) throw new Error(check.reason);
  const kinds = opts.tracks ?? [];
  assertMayPublish(check.claims, kinds);
  const { participant, events } = addParticipant(state, check.claims, check.roomName, kinds);
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
