import { and, desc, eq } from 'drizzle-orm';
import type { PartnerLink } from '../../../context';
import { caseEvents } from '../../../db/schema/index';
import type { CaseCtx } from '../case-ctx';
import type { CaseRow } from '../intake/types';
import { settleClaim } from './claim';
import { settleFailure, type Settled } from './settle-failure';
import type { BackOfficeSettings } from './settings';

const DEFAULT_REASON = '申请人撤回';

/** The intake member withdrew the case: the back office withdraws it too, with the withdrawal's note as the reason. */
export async function withdrawAtBackOffice(ctx: CaseCtx, settings: BackOfficeSettings, link: PartnerLink, claimed: CaseRow): Promise<Settled> {
  const [event] = await ctx.db.select({ note: caseEvents.note }).from(caseEvents)
    .where(and(eq(caseEvents.caseRef, claimed.ref), eq(caseEvents.type, 'withdrawn'))).orderBy(desc(caseEvents.recordedAt)).limit(1);
  try {
    await link.adapter.withdraw(claimed.partnerRef!, event?.note ?? DEFAULT_REASON);
  } catch (e) {
    // A back office that decided already refuses (409 -> rejected): the case stops and is listed for supervisors.
    return settleFailure(ctx, settings, claimed, 'withdraw', e);
  }
  ctx.logger.child({ component: 'backoffice', caseRef: claimed.ref }).info({ partnerRef: claimed.partnerRef }, 'case withdrawn at the back office');
  return (await settleClaim(ctx.db, claimed, { partnerState: 'withdrawn', partnerNextAt: null, partnerAttempts: 0, partnerError: null })) ? 'done' : 'lease_lost';
}
