// RoomService as livekit-server answers it (pkg/service/roomservice.go, localstore.go).
import {
  CreateRoomRequest, DeleteRoomRequest, DeleteRoomResponse, ListParticipantsRequest, ListParticipantsResponse,
  ListRoomsRequest, ListRoomsResponse, MuteRoomTrackRequest, MuteRoomTrackResponse, RemoveParticipantResponse,
  RoomParticipantIdentity, SendDataRequest, SendDataResponse, UpdateParticipantRequest, UpdateRoomMetadataRequest,
} from '@livekit/protocol';
import { endRoomEgresses } from './egress';
import { method, type Method, type State } from './state';
import { errors, TwirpError } from './twirp';
import type { EventInit } from './webhooks';
import { newSid, participantMessage, roomMessage, toWire, trackMessage } from './wire';
import type { FakeParticipant, FakeRoom } from './types';

const lenient = { ignoreUnknownFields: true } as const;
// The server's defaults when CreateRoom leaves them at zero (config.RoomConfig).
const defaultEmptyTimeout = 300;
const defaultDepartureTimeout = 20;

export function createRoomState(state: State, init: { name: string; emptyTimeout?: number; departureTimeout?: number;
  maxParticipants?: number; metadata?: string }): FakeRoom {
  const room: FakeRoom = {
    name: init.name,
    sid: newSid('RM_'),
    emptyTimeout: init.emptyTimeout || defaultEmptyTimeout,
    departureTimeout: init.departureTimeout || defaultDepartureTimeout,
    maxParticipants: init.maxParticipants ?? 0,
    metadata: init.metadata ?? '',
    createdAt: Date.now(),
    participants: new Map(),
    data: [],
  };
  state.rooms.set(room.name, room);
  return room;
}

function findParticipant(state: State, room: string, identity: string): { room: FakeRoom; p: FakeParticipant } {
  const r = state.rooms.get(room);
  const p = r?.participants.get(identity);
  if (!r || !p) throw errors.participantNotFound();
  return { room: r, p };
}

function findRoom(state: State, name: string): FakeRoom {
  const room = state.rooms.get(name);
  if (!room) throw errors.roomNotFound();
  return room;
}

export const leftEvent = (room: FakeRoom, p: FakeParticipant): EventInit =>
  ({ event: 'participant_left', room: roomMessage(room), participant: participantMessage(p) });

const adminRoom = (req: { room: string }): string => req.room;
const noRoom = (): string => '';

export const roomMethods: Record<string, Method<unknown>> = {
  CreateRoom: method({
    decode: (j) => CreateRoomRequest.fromJson(j as never, lenient),
    room: noRoom,
    handle(state, req) {
      if (!req.name) throw errors.noRoomName();
      const existing = state.rooms.get(req.name);
      if (existing) return { reply: toWire(roomMessage(existing)) };
      const room = createRoomState(state, req);
      return { reply: toWire(roomMessage(room)), events: [{ event: 'room_started', room: roomMessage(room) }] };
    },
  }),
  ListRooms: method({
    decode: (j) => ListRoomsRequest.fromJson(j as never, lenient),
    room: noRoom,
    handle(state, req) {
      const rooms = [...state.rooms.values()].filter((r) => req.names.length === 0 || req.names.includes(r.name));
      return { reply: toWire(new ListRoomsResponse({ rooms: rooms.map(roomMessage) })) };
    },
  }),
  DeleteRoom: method({
    decode: (j) => DeleteRoomRequest.fromJson(j as never, lenient),
    room: noRoom,
    handle(state, req) {
      const room = findRoom(state, req.room);
      const left = [...room.participants.values()].map((p) => leftEvent(room, p));
      room.participants.clear();
      state.rooms.delete(room.name);
      const ended = endRoomEgresses(state, room.name);
      return {
        reply: toWire(new DeleteRoomResponse()),
        events: [...left, ...ended, { event: 'room_finished', room: roomMessage(room) }],
      };
    },
  }),
  ListParticipants: method({
    decode: (j) => ListParticipantsRequest.fromJson(j as never, lenient),
    room: adminRoom,
    handle(state, req) {
      // The store answers an unknown room with an empty list, not an error.
      const people = [...(state.rooms.get(req.room)?.participants.values() ?? [])];
      return { reply: toWire(new ListParticipantsResponse({ participants: people.map(participantMessage) })) };
    },
  }),
  GetParticipant: method({
    decode: (j) => RoomParticipantIdentity.fromJson(j as never, lenient),
    room: adminRoom,
    handle: (state, req) => ({ reply: toWire(participantMessage(findParticipant(state, req.room, req.identity).p)) }),
  }),
  RemoveParticipant: method({
    decode: (j) => RoomParticipantIdentity.fromJson(j as never, lenient),
    room: adminRoom,
    handle(state, req) {
      const room = state.rooms.get(req.room);
      const p = room?.participants.get(req.identity);
      if (!room || !p) throw new TwirpError('not_found', 'participant not found');
      room.participants.delete(p.identity);
      return { reply: toWire(new RemoveParticipantResponse()), events: [leftEvent(room, p)] };
    },
  }),
  MutePublishedTrack: method({
    decode: (j) => MuteRoomTrackRequest.fromJson(j as never, lenient),
    room: adminRoom,
    handle(state, req) {
      const { p } = findParticipant(state, req.room, req.identity);
      const track = p.tracks.find((t) => t.sid === req.trackSid);
      if (!track) throw errors.trackNotFound();
      if (!req.muted && !state.enableRemoteUnmute) throw errors.remoteUnmuteDisabled();
      track.muted = req.muted;
      return { reply: toWire(new MuteRoomTrackResponse({ track: trackMessage(track) })) };
    },
  }),
  UpdateParticipant: method({
    decode: (j) => UpdateParticipantRequest.fromJson(j as never, lenient),
    room: adminRoom,
    handle(state, req) {
      const { p } = findParticipant(state, req.room, req.identity);
      if (req.metadata) p.metadata = req.metadata;
      if (req.name) p.name = req.name;
      const attributes = { ...p.attributes };
      for (const [k, v] of Object.entries(req.attributes)) {
        if (v === '') delete attributes[k];
        else attributes[k] = v;
      }
      p.attributes = attributes;
      if (req.permission) {
        const { canSubscribe, canPublish, canPublishData } = req.permission;
        p.permission = { canSubscribe, canPublish, canPublishData };
      }
      return { reply: toWire(participantMessage(p)) };
    },
  }),
  UpdateRoomMetadata: method({
    decode: (j) => UpdateRoomMetadataRequest.fromJson(j as never, lenient),
    room: adminRoom,
    handle(state, req) {
      const room = findRoom(state, req.room);
      room.metadata = req.metadata;
      return { reply: toWire(roomMessage(room)) };
    },
  }),
  SendData: method({
    decode: (j) => SendDataRequest.fromJson(j as never, lenient),
    room: adminRoom,
    handle(state, req) {
      if (req.nonce.length !== 0 && req.nonce.length !== 16) {
        throw new TwirpError('invalid_argument', `nonce should be 16-bytes or not present, got: ${req.nonce.length} bytes`);
      }
      const room = findRoom(state, req.room);
      const entry: FakeRoom['data'][number] = { payload: new TextDecoder().decode(req.data), at: Date.now() };
      if (req.topic !== undefined) entry.topic = req.topic;
      room.data.push(entry);
      return { reply: toWire(new SendDataResponse()) };
    },
  }),
};
