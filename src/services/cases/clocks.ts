import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { caseEvents, cases } from '../../db/schema/index';
import { workingDayDeadline, hopDeadline, type Pause } from '../calendar/sla';
import { catalogInForce, getItem } from '../catalog/catalog-in-force';
import type { HOPS } from '../partners/schema';
import type { TransitionFacts } from './after-transition';
import type { CaseCtx } from './case-ctx';
import type { CaseRow } from './intake/types';
import { recordAnnouncedShipment } from './shipments/on-shipped';
import { clockOf, HOP_BY_STATUS, type CaseStatus } from './state-machine';

export type Hop = (typeof HOPS)[number];

/** The statuses in which the item's deadline (承诺/法定办结时限) runs: from acceptance until the decision. */
export const DEADLINE_STATUSES: readonly CaseStatus[] = ['accepted', 'supplement_requested', 'under_review'];

/**
 * The pauses after a transition: entering 补正 opens one, leaving it (whatever the next event) closes it.
 * @example nextPauses([], 'accepted', 'supplement_requested', t) // [{ from: t }]
 */
export function nextPauses(pauses: readonly Pause[], before: CaseStatus, after: CaseStatus, at: number): Pause[] {
  const list = pauses.map((p) => ({ ...p }));
  const [was, is] = [clockOf(before) === 'paused', clockOf(after) === 'paused'];
  if (was && !is) {
    const open = list.findLast((p) => p.to === undefined);
    if (open) open.to = Math.max(at, open.from);
  }
  if (!was && is) list.push({ from: at });
  return list;
}

/**
 * The hop's clock after a transition: a new hop starts at `at` (due after the agreement's hours, null
 * without them); the same hop keeps running (decided -> result_issued); no hop clears it.
 */
export function nextHop(current: { hopStartedAt: Date | null; hopDueAt: Date | null }, before: CaseStatus, after: CaseStatus, at: number, hours: (hop: Hop) => number | null, pauses: readonly Pause[] = []) {
  const hop = HOP_BY_STATUS[after];
  if (!hop) return { hopStartedAt: null, hopDueAt: null };
  if (hop === HOP_BY_STATUS[before] && current.hopStartedAt) return { hopStartedAt: current.hopStartedAt, hopDueAt: current.hopDueAt };
  const h = hours(hop);
  return { hopStartedAt: new Date(at), hopDueAt: h === null ? null : new Date(hopDeadline({ start: at, hours: h, pauses, now: at }).dueAt) };
}

/**
 * The agreement's hours for a hop: the handling side reads its own partner file, the intake side the
 * handling member's. Null without an agreement for the item, or without hours for the hop.
 */
export function hopHours(ctx: Pick<CaseCtx, 'partners' | 'selfId'>, row: Pick<CaseRow, 'role' | 'handlingMember' | 'itemCode' | 'mode'>, hop: Hop): number | null {
  const member = row.role === 'handling' ? ctx.selfId : row.handlingMember;
  if (!member) return null;
  const agreements = (ctx.partners.get(member)?.config.agreements ?? []).filter((a) => a.item === row.itemCode && a.direction !== 'intake');
  const agreement = agreements.find((a) => (a.modes as string[]).includes(row.mode)) ?? agreements[0];
  return agreement?.slaHours[hop] ?? null;
}

/**
 * The accept hop of a case just received (§7.1), which no transition starts on the handling side:
 * receive-transfer.ts spreads it into the new row, e.g. `{ ...row, ...clocksAtReceipt(ctx, row, now.getTime()) }`.
 */
export function clocksAtReceipt(ctx: Pick<CaseCtx, 'partners' | 'selfId'>, row: Pick<CaseRow, 'role' | 'handlingMember' | 'itemCode' | 'mode'>, at: number) {
  return nextHop({ hopStartedAt: null, hopDueAt: null }, 'transferring', 'received', at, (h) => hopHours(ctx, row, h));
}

/** When an event took effect: as its sender says, never later than we recorded it. */
const instantOf = (facts: TransitionFacts): number => {
  const recorded = facts.at.getTime();
  const said = facts.event.at ? Date.parse(facts.event.at) : Number.NaN;
  return Number.isNaN(said) ? recorded : Math.min(said, recorded);
};

/**
 * The case's clocks after a transition, in its transaction: the hop's SLA, the pauses while 补正, and
 * the item's deadline from acceptance (recomputed when a pause ends). A §7.2 `shipped` also records
 * the shipment it announces.
 */
export async function updateClocks(tx: Db, ctx: CaseCtx, facts: TransitionFacts): Promise<void> {
  const { row, before, after } = facts;
  const at = instantOf(facts);
  const pauses = nextPauses((row.pauses as Pause[] | null) ?? [], before.status, after.status, at);
  const hop = nextHop(row, before.status, after.status, at, (h) => hopHours(ctx, row, h), pauses);
  let deadlineAt = row.deadlineAt;
  const accepting = after.accepted && !before.accepted;
  const resuming = before.status === 'supplement_requested' && after.status !== 'supplement_requested';
  if (after.accepted && (accepting || resuming || !deadlineAt)) {
    deadlineAt = await itemDeadline(tx, ctx, row, accepting ? at : null, pauses, at);
  }
  await tx.update(cases).set({ ...hop, deadlineAt, pauses: pauses.length ? pauses : null }).where(eq(cases.ref, row.ref));
  if (facts.event.type === 'shipped') await recordAnnouncedShipment(tx, ctx, { row, data: facts.event.data, at });
}

/**
 * The item's deadline: its promised working days (承诺办结时限), else the statutory ones, from acceptance,
 * the pauses not counted. Read through `tx` (catalog and the acceptance event): PGlite has a single
 * connection, so a read outside the transaction would wait for it forever.
 */
async function itemDeadline(tx: Db, ctx: CaseCtx, row: CaseRow, acceptedAt: number | null, pauses: readonly Pause[], now: number): Promise<Date | null> {
  const start = acceptedAt ?? (await acceptanceOf(tx, row.ref));
  if (start === null) return null;
  const version = await catalogInForce(tx, new Date(start));
  const item = version ? await getItem(tx, version.id, row.itemCode) : null;
  if (!item) {
    ctx.logger.warn({ caseRef: row.ref, item: row.itemCode }, 'no catalog item for the case: its deadline is not computed');
    return null;
  }
  const days = item.promisedDays ?? item.statutoryDays;
  return new Date(workingDayDeadline(ctx.calendar, { start, days, pauses, now }).dueAt);
}

async function acceptanceOf(tx: Db, ref: string): Promise<number | null> {
  const [e] = await tx.select({ at: caseEvents.at, recordedAt: caseEvents.recordedAt }).from(caseEvents)
    .where(and(eq(caseEvents.caseRef, ref), eq(caseEvents.type, 'accepted'))).orderBy(asc(caseEvents.recordedAt)).limit(1);
  return e ? Math.min(e.at.getTime(), e.recordedAt.getTime()) : null;
}

/** The clocks a case view shows: both deadlines, and whether either has passed while the clock runs. */
export interface ClockView {
  hop: Hop | null;
  hopDueAt: string | null;
  deadlineAt: string | null;
  paused: boolean;
  overdue: boolean;
}

/**
 * For a case view (GET /api/v1/cases/{ref}): `{...view, ...clockView(row, now)}`. A paused case (补正)
 * is never overdue; the deadline counts only until the decision.
 */
export function clockView(row: Pick<CaseRow, 'state' | 'hopDueAt' | 'deadlineAt'>, now: number): ClockView {
  const status = row.state as CaseStatus;
  const paused = clockOf(status) === 'paused';
  const deadlineRuns = DEADLINE_STATUSES.includes(status);
  const overdue = !paused && ((row.hopDueAt !== null && row.hopDueAt.getTime() < now) || (deadlineRuns && row.deadlineAt !== null && row.deadlineAt.getTime() < now));
  return {
    hop: HOP_BY_STATUS[status] ?? null,
    hopDueAt: row.hopDueAt?.toISOString() ?? null,
    deadlineAt: row.deadlineAt?.toISOString() ?? null,
    paused, overdue,
  };
}
