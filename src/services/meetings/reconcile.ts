import { and, eq, isNull } from 'drizzle-orm';
import { meetings } from '../../db/schema/index';
import { utf8 } from '../../lib/encoding';
import { closeMeeting, type CloseReason } from './close-meeting';
import type { Deps } from '../../context';
import { meetingCtxOf, type MeetingCtx } from './meeting-ctx';
import type { MeetingRow } from './view';

/** The data topic of the gateway's notices to a room (clients show them). */
export const NOTICE_TOPIC = 'handshake.meeting';

export interface ReconcileReport {
  open: number;
  warned: string[];
  closed: { id: string; reason: CloseReason }[];
  failed: string[];
}

/**
 * Webhooks can be lost: every so often (Node: 30 s; Workers: the minute cron) the open meetings are
 * compared with the rooms LiveKit has. A room gone closes its meeting; past `warnAt` the room is warned
 * once; past `endsAt` (the maximum duration) the room is deleted and the meeting closed.
 */
export async function reconcileMeetings({ ctx }: { ctx: MeetingCtx }): Promise<ReconcileReport> {
  const open = await ctx.db.select().from(meetings).where(eq(meetings.status, 'open'));
  const report: ReconcileReport = { open: open.length, warned: [], closed: [], failed: [] };
  if (!open.length) return report;
  const live = new Set((await ctx.rooms.listRooms(open.map((m) => m.room))).map((r) => r.name));
  for (const m of open) {
    try {
      await reconcileOne(ctx, m, live.has(m.room), report);
    } catch (err) {
      ctx.logger.warn({ err, meetingId: m.id }, 'meeting reconciliation failed');
      report.failed.push(m.id);
    }
  }
  return report;
}

async function reconcileOne(ctx: MeetingCtx, m: MeetingRow, live: boolean, report: ReconcileReport): Promise<void> {
  const now = ctx.clock.now();
  const close = async (reason: CloseReason) => {
    const at = new Date(now);
    const closed = await ctx.db.transaction((tx) => closeMeeting(tx, ctx, m.id, { reason, actor: 'gateway', at, eventId: ctx.ids.make('ev') }));
    if (closed) report.closed.push({ id: m.id, reason });
  };
  if (now >= m.endsAt.getTime()) {
    if (live) await ctx.rooms.deleteRoom(m.room);
    return close('max_duration');
  }
  if (!live) return close('room_gone');
  if (now >= m.warnAt.getTime() && !m.warnedAt) {
    const minutesLeft = Math.max(1, Math.ceil((m.endsAt.getTime() - now) / 60_000));
    const notice = { type: 'meeting_ending', meetingId: m.id, endsAt: m.endsAt.toISOString(), minutesLeft, message: `本次云见面将在 ${minutesLeft} 分钟后结束` };
    await ctx.rooms.sendData(m.room, NOTICE_TOPIC, utf8(JSON.stringify(notice)));
    const warned = await ctx.db.update(meetings).set({ warnedAt: new Date(now), updatedAt: new Date(now) })
      .where(and(eq(meetings.id, m.id), isNull(meetings.warnedAt))).returning({ id: meetings.id });
    if (warned.length) report.warned.push(m.id);
  }
}

/** The entries' job: reconciles when LiveKit is configured; null when it is not. */
export async function reconcileMeetingsOf(deps: Deps): Promise<ReconcileReport | null> {
  return deps.meetings.livekit ? reconcileMeetings({ ctx: meetingCtxOf(deps) }) : null;
}
