import { and, desc, eq } from 'drizzle-orm';
import type { CaseMaterial } from '../../../../adapters/types';
import type { PartnerLink } from '../../../context';
import type { Db } from '../../../db/client';
import { caseEvents, caseMaterials, cases } from '../../../db/schema/index';
import { hex, utf8 } from '../../../lib/encoding';
import type { CaseCtx } from '../case-ctx';
import type { CaseRow } from '../intake/types';
import { settleClaim } from './claim';
import { settleFailure, type Settled } from './settle-failure';
import type { BackOfficeSettings } from './settings';

/** The local step that marks a supplement passed on to the back office; its eventId is `sf_<supplement eventId>`. */
export const SUPPLEMENT_FORWARDED = 'supplement_forwarded';

export interface PendingSupplement {
  /** The eventId of the `supplement_provided` event. */
  eventId: string;
  note: string | null;
  /** How many materials it brought: the newest ones on the case. */
  count: number;
}

const markerId = (supplementEventId: string) => `sf_${supplementEventId}`;

/**
 * The case's newest `supplement_provided` event when the back office has not had its materials yet (no
 * `supplement_forwarded` marker for it on the timeline); null otherwise. The timeline is the durable record:
 * no column says it, so a crash between the partner's answer and the marker sends the supplement again,
 * which the partners answer as a repeat.
 */
export async function pendingSupplement(db: Db, caseRef: string): Promise<PendingSupplement | null> {
  const [latest] = await db.select({ eventId: caseEvents.eventId, note: caseEvents.note, data: caseEvents.data }).from(caseEvents)
    .where(and(eq(caseEvents.caseRef, caseRef), eq(caseEvents.type, 'supplement_provided')))
    .orderBy(desc(caseEvents.recordedAt), desc(caseEvents.id)).limit(1);
  if (!latest) return null;
  const [marker] = await db.select({ id: caseEvents.id }).from(caseEvents)
    .where(and(eq(caseEvents.caseRef, caseRef), eq(caseEvents.eventId, markerId(latest.eventId)))).limit(1);
  if (marker) return null;
  const materials = (latest.data as { materials?: unknown[] } | null)?.materials ?? [];
  return { eventId: latest.eventId, note: latest.note, count: materials.length };
}

/** The supplement's materials: recordTransition appends them, in order, after the case's earlier ones. */
async function supplementMaterials(db: Db, caseRef: string, pending: PendingSupplement): Promise<CaseMaterial[]> {
  const rows = await db.select().from(caseMaterials).where(eq(caseMaterials.caseRef, caseRef)).orderBy(desc(caseMaterials.position)).limit(pending.count);
  if (rows.length !== pending.count) throw new Error(`case ${caseRef}: ${pending.count} supplement materials expected, ${rows.length} found`);
  return rows.reverse().map((m) => ({ requirement: m.requirement, name: m.name, mediaType: m.mediaType, size: m.size, sha256: m.sha256, content: m.content }));
}

/**
 * Puts the marker on the case's timeline (a local step of the handling side, like the joint steps): the
 * supplement `supplementEventId` reached the back office. Safe to repeat: the (case_ref, event_id) key keeps one.
 */
export async function markSupplementForwarded(tx: Db, ctx: Pick<CaseCtx, 'ids' | 'engine' | 'selfId' | 'clock'>, caseRef: string, supplementEventId: string, count: number): Promise<void> {
  const [row] = await tx.select({ state: cases.state }).from(cases).where(eq(cases.ref, caseRef));
  const at = new Date(ctx.clock.now());
  const data = { supplement: supplementEventId, materials: count };
  await tx.insert(caseEvents).values({
    id: ctx.ids.make('ev'), caseRef, eventId: markerId(supplementEventId), type: SUPPLEMENT_FORWARDED, at, note: null, data,
    side: 'handling', sender: ctx.selfId, actor: `back-office:${ctx.selfId}`,
    contentHash: hex(await ctx.engine.sha256(utf8(JSON.stringify({ type: SUPPLEMENT_FORWARDED, data })))),
    statusAfter: row?.state ?? 'under_review', recordedAt: at,
  }).onConflictDoNothing();
}

/**
 * Passes the applicant's supplements to the back office. A failure is settled like a submission's
 * (retry with backoff, or stop for a supervisor: a back office not waiting for supplements refuses).
 * On success the marker and the next poll are written in one transaction; the marker is written even when
 * the lease was lost meanwhile, because the back office has the materials whoever holds the claim now.
 */
export async function supplementAtBackOffice(ctx: CaseCtx, settings: BackOfficeSettings, link: PartnerLink, claimed: CaseRow, pending: PendingSupplement): Promise<Settled> {
  try {
    const materials = await supplementMaterials(ctx.db, claimed.ref, pending);
    await link.adapter.provideSupplement(claimed.partnerRef!, materials, pending.note ?? undefined);
  } catch (e) {
    return settleFailure(ctx, settings, claimed, 'supplement', e);
  }
  const held = await ctx.db.transaction(async (tx) => {
    await markSupplementForwarded(tx, ctx, claimed.ref, pending.eventId, pending.count);
    return settleClaim(tx, claimed, { partnerNextAt: new Date(ctx.clock.now() + settings.pollMs), partnerAttempts: 0, partnerError: null });
  });
  ctx.logger.child({ component: 'backoffice', caseRef: claimed.ref }).info({ partnerRef: claimed.partnerRef, materials: pending.count }, 'supplements passed to the back office');
  return held ? 'done' : 'lease_lost';
}
