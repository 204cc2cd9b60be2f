import type { Deps, MeetingSettings } from '../../context';
import { AppError } from '../../lib/errors';
import { caseCtxOf, type CaseCtx } from '../cases/case-ctx';
import { livekitVideoRooms } from './livekit-rooms';
import type { VideoRooms } from './video-rooms';

/** What the meeting services read and write through: the case services' needs, the video server, the limits. */
export interface MeetingCtx extends CaseCtx {
  rooms: VideoRooms;
  limits: Pick<MeetingSettings, 'maxMinutes' | 'warnMinutes'>;
}

export const VIDEO_NOT_CONFIGURED = 'video is not configured (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET)';

// One set of LiveKit clients per configuration, not per request.
const clients = new WeakMap<object, VideoRooms>();

/** The video server of `deps`, or null when it is not configured. */
export function videoRoomsOf(deps: Pick<Deps, 'meetings'>): VideoRooms | null {
  const livekit = deps.meetings.livekit;
  if (!livekit) return null;
  let rooms = clients.get(livekit);
  if (!rooms) clients.set(livekit, (rooms = livekitVideoRooms(livekit)));
  return rooms;
}

/** The meetings' context; without LiveKit 503 `upstream_unavailable`, and nothing else is affected. */
export function meetingCtxOf(deps: Deps): MeetingCtx {
  const rooms = videoRoomsOf(deps);
  if (!rooms) throw new AppError('upstream_unavailable', VIDEO_NOT_CONFIGURED);
  return { ...caseCtxOf(deps), rooms, limits: { maxMinutes: deps.meetings.maxMinutes, warnMinutes: deps.meetings.warnMinutes } };
}
