import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { caseEvents, cases } from '../../db/schema/index';
import { hex, utf8 } from '../../lib/encoding';
import type { CaseCtx } from '../cases/case-ctx';

export type MeetingEventType =
  | 'meeting_created' | 'meeting_started' | 'meeting_joined' | 'meeting_left' | 'meeting_finished'
  | 'recording_consent' | 'recording_started' | 'recording_ended';

export interface MeetingEventInput {
  caseRef: string;
  type: MeetingEventType;
  /** `lk_<webhook id>` for what LiveKit reported; a fresh `ev_` id for our own steps. */
  eventId: string;
  /** `clerk:<id>` or `livekit`. */
  actor: string;
  at: Date;
  data: Record<string, unknown>;
}

/**
 * A meeting step in the case's timeline: a local event of this member (not a §7.2 event, never sent),
 * on the case's own side, with the case's status unchanged. The same eventId again is ignored.
 */
export async function recordMeetingEvent(tx: Db, ctx: Pick<CaseCtx, 'engine' | 'ids' | 'clock' | 'selfId'>, e: MeetingEventInput): Promise<void> {
  const [kase] = await tx.select({ role: cases.role, state: cases.state }).from(cases).where(eq(cases.ref, e.caseRef));
  if (!kase) return;
  const contentHash = hex(await ctx.engine.sha256(utf8(JSON.stringify({ eventId: e.eventId, type: e.type, at: e.at.toISOString(), data: e.data }))));
  await tx.insert(caseEvents).values({
    id: ctx.ids.make('ev'), caseRef: e.caseRef, eventId: e.eventId, type: e.type, at: e.at, note: null, data: e.data,
    side: kase.role, sender: ctx.selfId, actor: e.actor, contentHash, statusAfter: kase.state, recordedAt: new Date(ctx.clock.now()),
  }).onConflictDoNothing({ target: [caseEvents.caseRef, caseEvents.eventId] });
}
