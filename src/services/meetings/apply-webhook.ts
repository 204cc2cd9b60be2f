import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { livekitWebhookEvents, meetingParticipants, meetings } from '../../db/schema/index';
import { AppError } from '../../lib/errors';
import type { CaseCtx } from '../cases/case-ctx';
import { closeMeeting } from './close-meeting';
import { participantKey } from './store';
import { recordMeetingEvent, type MeetingEventInput } from './timeline';
import type { MeetingRow } from './view';
import type { WebhookNotice } from './video-rooms';

type WebhookCtx = Pick<CaseCtx, 'db' | 'engine' | 'ids' | 'clock' | 'selfId'>;

export interface WebhookOutcome {
  /** false: this event id was applied before; nothing happened now. */
  applied: boolean;
  meetingId: string | null;
}

/**
 * A verified LiveKit webhook applied once: its id is recorded in the same transaction as its effects,
 * so a repeat (LiveKit retries) is acknowledged and ignored. Events of rooms that are not our meetings
 * are recorded and otherwise ignored.
 */
export async function applyWebhook({ ctx, input }: { ctx: WebhookCtx; input: WebhookNotice }): Promise<WebhookOutcome> {
  if (!input.id) throw new AppError('invalid_request', 'the webhook has no event id');
  return ctx.db.transaction(async (tx) => {
    const meeting = await meetingOf(tx, input);
    const now = new Date(ctx.clock.now());
    const [fresh] = await tx.insert(livekitWebhookEvents).values({
      eventId: input.id, meetingId: meeting?.id ?? null, event: input.event, createdAt: input.createdAt ? new Date(input.createdAt) : now, receivedAt: now,
    }).onConflictDoNothing().returning({ eventId: livekitWebhookEvents.eventId });
    if (!fresh) return { applied: false, meetingId: meeting?.id ?? null };
    if (meeting) await applyTo(tx, ctx, meeting, input, input.createdAt ? new Date(input.createdAt) : now);
    return { applied: true, meetingId: meeting?.id ?? null };
  });
}

/** The meeting the event is about, locked for this transaction: by room name, else by egress id. */
async function meetingOf(tx: Db, n: WebhookNotice): Promise<MeetingRow | null> {
  const by = n.room ? eq(meetings.room, n.room) : n.egress ? eq(meetings.egressId, n.egress.egressId) : null;
  if (!by) return null;
  const [row] = await tx.select().from(meetings).where(by).for('update');
  return row ?? null;
}

async function applyTo(tx: Db, ctx: WebhookCtx, m: MeetingRow, n: WebhookNotice, at: Date): Promise<void> {
  const event = (type: MeetingEventInput['type'], data: Record<string, unknown>) =>
    recordMeetingEvent(tx, ctx, { caseRef: m.caseRef, type, eventId: `lk_${n.id}`, actor: 'livekit', at, data: { meetingId: m.id, ...data } });
  switch (n.event) {
    case 'room_started':
      return event('meeting_started', { room: m.room });
    case 'room_finished':
      await closeMeeting(tx, ctx, m.id, { reason: 'room_finished', actor: 'livekit', at, eventId: `lk_${n.id}` });
      return;
    case 'participant_joined':
    case 'participant_left':
    case 'participant_connection_aborted': {
      if (!n.identity) return;
      const joined = n.event === 'participant_joined';
      const [p] = await tx.update(meetingParticipants).set({ status: joined ? 'joined' : 'left', updatedAt: at })
        .where(and(participantKey(m.id, n.identity), ne(meetingParticipants.status, 'removed'))).returning();
      const [known] = p ? [p] : await tx.select().from(meetingParticipants).where(participantKey(m.id, n.identity));
      // Someone LiveKit let in whom we never gave a token is worth a line in the record too.
      return event(joined ? 'meeting_joined' : 'meeting_left', { identity: n.identity, role: known?.role ?? null, member: known?.member ?? null, ...(n.event === 'participant_connection_aborted' ? { aborted: true } : {}) });
    }
    case 'egress_started':
      return egressStarted(tx, m, n, at, event);
    case 'egress_ended':
      return egressEnded(tx, m, n, at, event);
    default:
      return;
  }
}

type Emit = (type: MeetingEventInput['type'], data: Record<string, unknown>) => Promise<void>;

/** The recording began: the timeline keeps who consented, and when, next to it. */
async function egressStarted(tx: Db, m: MeetingRow, n: WebhookNotice, at: Date, event: Emit): Promise<void> {
  if (!n.egress || (m.egressId && m.egressId !== n.egress.egressId)) return;
  if (!m.egressId) await tx.update(meetings).set({ egressId: n.egress.egressId, updatedAt: at }).where(eq(meetings.id, m.id));
  const parties = await tx.select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, m.id));
  const consents = parties.filter((p) => p.consentAt).map((p) => ({ identity: p.identity, role: p.role, at: p.consentAt!.toISOString() }));
  await event('recording_started', { egressId: n.egress.egressId, consents });
}

/** The recording's result (location, size, duration) goes on the meeting and into the case's record. */
async function egressEnded(tx: Db, m: MeetingRow, n: WebhookNotice, at: Date, event: Emit): Promise<void> {
  if (!n.egress || (m.egressId && m.egressId !== n.egress.egressId)) return;
  const done = n.egress.status === 'complete' && n.egress.file !== null;
  await tx.update(meetings).set({ egressId: n.egress.egressId, recordingStatus: done ? 'done' : 'failed', recording: n.egress.file, updatedAt: at }).where(eq(meetings.id, m.id));
  await event('recording_ended', {
    egressId: n.egress.egressId, status: n.egress.status, ...(n.egress.file ?? {}), ...(n.egress.error ? { error: n.egress.error } : {}),
  });
}
