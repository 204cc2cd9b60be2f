import { and, eq, isNull } from 'drizzle-orm';
import type { PartnerLink } from '../../../context';
import { cases } from '../../../db/schema/index';
import type { CaseCtx } from '../case-ctx';
import type { CaseRow } from '../intake/types';
import { settleClaim } from './claim';
import { settleFailure, type Settled } from './settle-failure';
import { applyPartnerReport } from './report';
import type { BackOfficeSettings } from './settings';
import { buildSubmission } from './submission';
import { markSupplementForwarded, pendingSupplement } from './supplement';

/**
 * Passes a claimed handling case to the back office. Sending it again is safe: the case goes with
 * `externalRef` = our caseRef, and the partner deduplicates on it (the standard API and the provincial
 * CaseService answer a repeat with the case they already have), so a gateway that died between the
 * partner's answer and recording partnerRef gets the same partnerRef back on its next attempt.
 */
export async function submitToBackOffice(ctx: CaseCtx, settings: BackOfficeSettings, link: PartnerLink, claimed: CaseRow): Promise<Settled> {
  let answer;
  // Supplements that came before the case reached the back office go with it, among its materials.
  const supplement = await pendingSupplement(ctx.db, claimed.ref);
  try {
    answer = await link.adapter.submitCase(await buildSubmission(ctx, claimed));
  } catch (e) {
    return settleFailure(ctx, settings, claimed, 'submit', e);
  }
  // What the partner told us is a fact whoever holds the claim now: keep partnerRef even if the lease ran out.
  await ctx.db.transaction(async (tx) => {
    await tx.update(cases).set({ partnerRef: answer.partnerRef }).where(and(eq(cases.ref, claimed.ref), isNull(cases.partnerRef)));
    if (supplement) await markSupplementForwarded(tx, ctx, claimed.ref, supplement.eventId, supplement.count);
  });
  const now = ctx.clock.now();
  // A case withdrawn meanwhile is withdrawn at the back office next, at once.
  const next = new Date(claimed.state === 'withdrawn' ? now : now + settings.pollMs);
  const held = await settleClaim(ctx.db, claimed, { partnerNextAt: next, partnerAttempts: 0, partnerError: null });
  ctx.logger.child({ component: 'backoffice', caseRef: claimed.ref }).info({ partnerRef: answer.partnerRef, state: answer.state }, 'case submitted to the back office');
  await applyPartnerReport(ctx, claimed.ref, { partnerRef: answer.partnerRef, state: answer.state, at: answer.at });
  return held ? 'done' : 'lease_lost';
}
