import { and, eq, isNull } from 'drizzle-orm';
import { cases } from '../../../db/schema/index';
import type { CaseCtx } from '../case-ctx';
import type { CaseRow } from '../intake/types';
import { claimDueCases, settleClaim } from './claim';
import type { Settled } from './settle-failure';
import { listBackOfficeFailures, type BackOfficeFailure } from './failures';
import { ownBackOffice } from './link';
import { POLLS_END_AT, pollBackOffice } from './poll';
import { backOfficeSettings, type BackOfficeSettings } from './settings';
import { submitToBackOffice } from './submit';
import { pendingSupplement, supplementAtBackOffice } from './supplement';
import { withdrawAtBackOffice } from './withdraw';

export type BackOfficeAction = 'submit' | 'poll' | 'withdraw' | 'supplement' | 'none';

export interface BackOfficeStep {
  caseRef: string;
  action: BackOfficeAction;
  result: Settled | 'failed';
}

/**
 * What a due case needs, read from the claimed row. `partnerAttempts` already counts this claim, so a
 * withdrawn case without partnerRef but with an earlier attempt may exist at the back office (the
 * gateway died before recording the answer): it is submitted again (deduplicated) and then withdrawn.
 * `supplementPending`: the intake member's newest supplements have not reached the back office yet
 * (supplement.ts); they go before the next poll.
 */
export function actionFor(row: CaseRow, supplementPending = false): BackOfficeAction {
  if (row.state === 'withdrawn') {
    if (row.partnerState === 'withdrawn') return 'none';
    if (row.partnerRef) return 'withdraw';
    return row.partnerAttempts > 1 ? 'submit' : 'none';
  }
  if (!row.partnerRef) return row.state === 'archived' ? 'none' : 'submit';
  if (row.state === 'archived') return 'none';
  if (supplementPending) return 'supplement';
  return POLLS_END_AT.has(row.partnerState ?? '') ? 'none' : 'poll';
}

/** Only a case at the back office and still open can have supplements to pass on. */
const mayHaveSupplement = (row: CaseRow) => !!row.partnerRef && row.state !== 'withdrawn' && row.state !== 'archived';

/**
 * The member's own back office, driven from the database: cases received for items its partner file
 * maps are submitted, polled and withdrawn there; its states become §7.2 events (report.ts). Every step
 * is durable: a crash leaves the case due again when its lease ends.
 * @example const backOffice = createBackOffice(caseCtxOf(deps), { pollMs: 60_000 }); await backOffice.runOnce(8);
 */
export function createBackOffice(ctx: CaseCtx, options: Partial<BackOfficeSettings> = {}) {
  const link = ownBackOffice(ctx);
  if (!link) throw new Error(`member ${ctx.selfId} has no back office (partners/${ctx.selfId}.json)`);
  const settings = backOfficeSettings(options);
  const log = ctx.logger.child({ component: 'backoffice' });

  async function work(row: CaseRow): Promise<BackOfficeStep> {
    let action: BackOfficeAction = 'none';
    try {
      const supplement = mayHaveSupplement(row) ? await pendingSupplement(ctx.db, row.ref) : null;
      action = actionFor(row, !!supplement);
      const result = action === 'submit' ? await submitToBackOffice(ctx, settings, link!, row)
        : action === 'poll' ? await pollBackOffice(ctx, settings, link!, row)
          : action === 'withdraw' ? await withdrawAtBackOffice(ctx, settings, link!, row)
            : action === 'supplement' ? await supplementAtBackOffice(ctx, settings, link!, row, supplement!)
              : (await settleClaim(ctx.db, row, { partnerNextAt: null, partnerAttempts: 0 })) ? 'done' : 'lease_lost';
      return { caseRef: row.ref, action, result };
    } catch (err) {
      // The database failed around the call: the claim's lease brings the case back.
      log.warn({ err, caseRef: row.ref, action }, 'back-office work failed; the case is due again when its lease ends');
      return { caseRef: row.ref, action, result: 'failed' };
    }
  }

  return {
    settings,
    /** Claims up to `limit` due cases and works them side by side. */
    async runOnce(limit = 8): Promise<BackOfficeStep[]> {
      const claimed = await claimDueCases(ctx.db, { now: new Date(ctx.clock.now()), leaseMs: settings.leaseMs, limit });
      return Promise.all(claimed.map(work));
    },
    /** Handling cases whose back-office work failed (retrying, or stopped for a supervisor). */
    failures: (o: { limit?: number; stoppedOnly?: boolean } = {}): Promise<BackOfficeFailure[]> => listBackOfficeFailures(ctx.db, o),
    /** By hand, once the cause is fixed: a stopped case is due again now. False if it is not stopped. */
    async resume(caseRef: string): Promise<boolean> {
      const rows = await ctx.db.update(cases).set({ partnerNextAt: new Date(ctx.clock.now()), partnerAttempts: 0 })
        .where(and(eq(cases.ref, caseRef), eq(cases.role, 'handling'), isNull(cases.partnerNextAt))).returning({ ref: cases.ref });
      return rows.length === 1;
    },
  };
}

export type BackOffice = ReturnType<typeof createBackOffice>;
