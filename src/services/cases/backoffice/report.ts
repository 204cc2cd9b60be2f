import { and, eq } from 'drizzle-orm';
import type { StatusReport } from '../../../../adapters/types';
import type { Db } from '../../../db/client';
import { caseEvents, cases } from '../../../db/schema/index';
import { base64url, hex, utf8 } from '../../../lib/encoding';
import { AppError } from '../../../lib/errors';
import type { CaseCtx } from '../case-ctx';
import type { CaseEvent } from '../events-schema';
import type { CaseRow } from '../intake/types';
import { recordTransition, stateOf } from '../record-transition';
import type { CaseStatus } from '../state-machine';
import { planReport } from './report-plan';

export type ReportOutcome =
  | 'recorded' // §7.2 events recorded and queued for the intake member
  | 'duplicate' // this callback or poll was applied before
  | 'unchanged' // the back office said this state already
  | 'noted' // a new state with nothing to send (received, a confirmed withdrawal, a late report)
  | 'refused'; // the state machine or §7.2's shapes refuse it: kept in partnerError

export interface ReportResult {
  outcome: ReportOutcome;
  status: CaseStatus;
  /** The eventIds recorded, implied steps first. */
  events: string[];
}

/**
 * The eventId of a report: the same callback, or the same state polled at the same partner time, gives
 * the same id, so a repeat is found on the timeline (unique (case_ref, event_id)) and changes nothing.
 */
export async function reportEventId(ctx: Pick<CaseCtx, 'engine' | 'selfId'>, report: StatusReport, partnerEventId?: string): Promise<string> {
  const key = partnerEventId !== undefined ? `${ctx.selfId}|${partnerEventId}` : `${ctx.selfId}|${report.partnerRef}|${report.state}|${report.at}`;
  return `pb_${base64url(await ctx.engine.sha256(utf8(key)))}`;
}

/**
 * A state the back office reported (callback or poll) becomes the §7.2 event of the handling side, sent
 * to the intake member: in one transaction under the case's row lock, through recordTransition, so the
 * event is queued exactly when it is recorded. A report the case cannot take is logged and kept in
 * partnerError; it never throws but for an unknown case (404).
 */
export async function applyPartnerReport(ctx: CaseCtx, caseRef: string, report: StatusReport, partnerEventId?: string): Promise<ReportResult> {
  const eventId = await reportEventId(ctx, report, partnerEventId);
  const result = await ctx.db.transaction(async (tx): Promise<ReportResult & { reason?: string }> => {
    const [row] = await tx.select().from(cases).where(and(eq(cases.ref, caseRef), eq(cases.role, 'handling'))).for('update');
    if (!row) throw new AppError('not_found', `no case ${caseRef}`);
    if (row.partnerRef && row.partnerRef !== report.partnerRef) throw new AppError('not_found', `case ${caseRef} is not ${report.partnerRef} at the back office`);
    const status = row.state as CaseStatus;
    const timeline = await tx.select({ eventId: caseEvents.eventId, type: caseEvents.type, side: caseEvents.side }).from(caseEvents).where(eq(caseEvents.caseRef, caseRef));
    if (timeline.some((e) => e.eventId === eventId)) return { outcome: 'duplicate', status, events: [] };
    if (row.partnerState === report.state) return { outcome: 'unchanged', status, events: [] };
    const recorded = new Set(timeline.filter((e) => e.side === 'handling').map((e) => e.type));
    const plan = planReport(stateOf(row), report, eventId, recorded);
    const partner = { partnerState: report.state, partnerRef: row.partnerRef ?? report.partnerRef };
    if (plan.kind === 'refused') {
      await tx.update(cases).set({ ...partner, partnerError: `report ${report.state}: ${plan.reason}`.slice(0, 500) }).where(eq(cases.ref, caseRef));
      return { outcome: 'refused', status, events: [], reason: plan.reason };
    }
    if (plan.kind === 'none') {
      await tx.update(cases).set(partner).where(eq(cases.ref, caseRef));
      return { outcome: 'noted', status, events: [] };
    }
    const after = await recordAll(tx, ctx, row, plan.events);
    await tx.update(cases).set({ ...partner, partnerError: null }).where(eq(cases.ref, caseRef));
    return { outcome: 'recorded', status: after, events: plan.events.map((e) => e.eventId) };
  });
  const log = ctx.logger.child({ component: 'backoffice', caseRef });
  if (result.outcome === 'refused') log.warn({ state: report.state, reason: result.reason }, 'back-office report refused by the case; kept in partnerError');
  else if (result.outcome === 'recorded') log.info({ state: report.state, events: result.events.length, status: result.status }, 'back-office report recorded');
  return { outcome: result.outcome, status: result.status, events: result.events };
}

/**
 * Records each event on the case in turn, re-reading the row (its state, clocks) between them. Each
 * step is recorded, and queued, a millisecond after the one before: timelines and the outbox order by
 * time, and an implied step must come first on both (the intake member refuses `decided` before `accepted`).
 */
async function recordAll(tx: Db, ctx: CaseCtx, first: CaseRow, events: CaseEvent[]): Promise<CaseStatus> {
  let row = first;
  let status = first.state as CaseStatus;
  let at = -Infinity;
  for (const event of events) {
    const contentHash = hex(await ctx.engine.sha256(utf8(JSON.stringify(event))));
    const step = (at = Math.max(ctx.clock.now(), at + 1));
    const stepCtx: CaseCtx = { ...ctx, clock: { now: () => step } };
    status = (await recordTransition(tx, stepCtx, { row, event, side: 'handling', sender: ctx.selfId, contentHash, forward: true })).status;
    [row] = (await tx.select().from(cases).where(eq(cases.ref, first.ref))) as [CaseRow];
  }
  return status;
}
