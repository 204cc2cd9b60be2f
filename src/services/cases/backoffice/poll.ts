import type { PartnerLink } from '../../../context';
import type { CaseCtx } from '../case-ctx';
import type { CaseRow } from '../intake/types';
import { settleClaim } from './claim';
import { settleFailure, type Settled } from './settle-failure';
import { applyPartnerReport } from './report';
import type { BackOfficeSettings } from './settings';

/**
 * States after which the back office has nothing more to say but `closed`, which is bookkeeping: polls
 * stop there (a callback still brings it). Polling-only partners (soap-legacy) depend on polls for the rest.
 */
export const POLLS_END_AT: ReadonlySet<string> = new Set(['rejected', 'returned', 'delivered', 'withdrawn', 'closed']);

/** Asks the back office for a case's state and applies it as a report; schedules the next poll. */
export async function pollBackOffice(ctx: CaseCtx, settings: BackOfficeSettings, link: PartnerLink, claimed: CaseRow): Promise<Settled> {
  let report;
  try {
    report = await link.adapter.queryStatus(claimed.partnerRef!);
  } catch (e) {
    return settleFailure(ctx, settings, claimed, 'poll', e);
  }
  const done = POLLS_END_AT.has(report.state) || claimed.state === 'archived';
  // Settled before the report is applied, so a refusal the report leaves in partnerError stays there.
  const held = await settleClaim(ctx.db, claimed, { partnerNextAt: done ? null : new Date(ctx.clock.now() + settings.pollMs), partnerAttempts: 0, partnerError: null });
  await applyPartnerReport(ctx, claimed.ref, report);
  return held ? 'done' : 'lease_lost';
}
