// Egress as livekit-server answers it (pkg/service/egress.go): a start replies EGRESS_STARTING and fires
// egress_started; the worker then reports ACTIVE; stop replies EGRESS_ENDING; completion fires
// egress_ended with the file result. A second room composite for the same room is not refused.
import { ListEgressRequest, ListEgressResponse, RoomCompositeEgressRequest, StopEgressRequest } from '@livekit/protocol';
import { method, type Method, type State } from './state';
import { errors, TwirpError } from './twirp';
import type { EventInit } from './webhooks';
import { egressMessage, newSid, toWire } from './wire';
import type { FakeEgress } from './types';

const lenient = { ignoreUnknownFields: true } as const;
const running = new Set<FakeEgress['status']>(['EGRESS_STARTING', 'EGRESS_ACTIVE', 'EGRESS_ENDING']);

function requestedFilepath(req: RoomCompositeEgressRequest): string | undefined {
  const legacy = req.output.case === 'file' ? req.output.value.filepath : undefined;
  return req.fileOutputs[0]?.filepath || legacy || undefined;
}

/** Marks an egress complete with its file and returns the egress_ended event. */
export function completeEgress(
  egress: FakeEgress, file?: { location: string; size: number; durationNs: number },
): EventInit {
  if (!running.has(egress.status)) throw new Error(`egress ${egress.egressId} is ${egress.status}, not running`);
  const endedAt = Date.now();
  const filename = egress.filepath ?? `${egress.roomName}-${egress.egressId}.mp4`;
  egress.status = 'EGRESS_COMPLETE';
  egress.endedAt = endedAt;
  egress.file = {
    filename,
    location: file?.location ?? filename,
    size: file?.size ?? 0,
    duration: file?.durationNs ?? (endedAt - egress.startedAt) * 1_000_000,
  };
  return { event: 'egress_ended', egressInfo: egressMessage(egress) };
}

/** A room composite ends with its room. */
export function endRoomEgresses(state: State, roomName: string): EventInit[] {
  return [...state.egresses.values()]
    .filter((e) => e.roomName === roomName && running.has(e.status))
    .map((e) => completeEgress(e));
}

function findEgress(state: State, id: string): FakeEgress {
  const egress = state.egresses.get(id);
  if (!egress) throw errors.egressNotFound();
  return egress;
}

export const egressMethods: Record<string, Method<unknown>> = {
  StartRoomCompositeEgress: method({
    decode: (j) => RoomCompositeEgressRequest.fromJson(j as never, lenient),
    room: () => '',
    handle(state, req) {
      if (!req.roomName) throw errors.noRoomName();
      const room = state.rooms.get(req.roomName);
      if (!room) throw errors.roomNotFound();
      const egress: FakeEgress = {
        egressId: newSid('EG_'),
        roomName: room.name,
        roomSid: room.sid,
        status: 'EGRESS_STARTING',
        startedAt: Date.now(),
        request: req,
      };
      const filepath = requestedFilepath(req);
      if (filepath) egress.filepath = filepath;
      state.egresses.set(egress.egressId, egress);
      const starting = egressMessage(egress);
      egress.status = 'EGRESS_ACTIVE';
      return { reply: toWire(starting), events: [{ event: 'egress_started', egressInfo: starting }] };
    },
  }),
  StopEgress: method({
    decode: (j) => StopEgressRequest.fromJson(j as never, lenient),
    room: () => '',
    handle(state, req) {
      const egress = findEgress(state, req.egressId);
      if (egress.status !== 'EGRESS_STARTING' && egress.status !== 'EGRESS_ACTIVE') {
        throw new TwirpError('failed_precondition', `egress with status ${egress.status} cannot be stopped`);
      }
      egress.status = 'EGRESS_ENDING';
      const reply = toWire(egressMessage(egress));
      if (!state.autoFinishOnStop) return { reply };
      return {
        reply,
        after: async () => {
          if (egress.status === 'EGRESS_ENDING') await state.webhooks.emit(completeEgress(egress));
        },
      };
    },
  }),
  ListEgress: method({
    decode: (j) => ListEgressRequest.fromJson(j as never, lenient),
    room: () => '',
    handle(state, req) {
      const items = [...state.egresses.values()].filter((e) =>
        (!req.roomName || e.roomName === req.roomName)
        && (!req.egressId || e.egressId === req.egressId)
        && (!req.active || running.has(e.status)));
      return { reply: toWire(new ListEgressResponse({ items: items.map(egressMessage) })) };
    },
  }),
};
