import { AdapterError } from '../../../../adapters/types';
import { redactText } from '../../../lib/logger';
import type { CaseCtx } from '../case-ctx';
import type { CaseRow } from '../intake/types';
import { settleClaim } from './claim';
import type { BackOfficeSettings } from './settings';

export type Settled = 'done' | 'retry' | 'stopped' | 'lease_lost';

/** What a supervisor reads: the kind and the adapter's reason, scrubbed and short (never personal data). */
export function describeFailure(e: unknown): { kind: string; retryable: boolean; message: string } {
  if (e instanceof AdapterError) return { kind: e.kind, retryable: e.retryable, message: `${e.kind}: ${redactText(e.message).slice(0, 300)}` };
  // Not the partner's answer (the sealer, the database): worth another try, but the detail stays in the log.
  return { kind: 'internal', retryable: true, message: 'internal: the gateway failed before or after the call; see the log' };
}

/** Full jitter under min(cap, base * 2^(attempts-1)), so instances that failed together do not retry together. */
export function backoffMs(settings: BackOfficeSettings, attempts: number): number {
  const ceiling = Math.min(settings.retry.capMs, settings.retry.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(1, Math.floor(settings.random() * ceiling));
}

/**
 * A failed back-office call: a retryable one (unavailable, timeout) is tried again after a backoff and
 * keeps its reason in partnerError; a final one (rejected, not_found, auth, bad_response, unmapped)
 * stops the case's back-office work (partnerNextAt null) and stays listed for supervisors.
 */
export async function settleFailure(ctx: CaseCtx, settings: BackOfficeSettings, claimed: CaseRow, action: string, e: unknown): Promise<Settled> {
  const failure = describeFailure(e);
  const log = ctx.logger.child({ component: 'backoffice', caseRef: claimed.ref, action });
  const now = ctx.clock.now();
  const error = `${action}: ${failure.message}`;
  if (failure.retryable) {
    const at = new Date(now + backoffMs(settings, claimed.partnerAttempts));
    if (failure.kind === 'internal') log.warn({ err: e, attempts: claimed.partnerAttempts }, 'back-office work failed; will retry');
    else log.info({ kind: failure.kind, attempts: claimed.partnerAttempts, retryAt: at.toISOString() }, 'back office unavailable; will retry');
    return (await settleClaim(ctx.db, claimed, { partnerNextAt: at, partnerError: error })) ? 'retry' : 'lease_lost';
  }
  log.warn({ kind: failure.kind, attempts: claimed.partnerAttempts, error }, 'back office refused; the case needs a supervisor');
  return (await settleClaim(ctx.db, claimed, { partnerNextAt: null, partnerError: error })) ? 'stopped' : 'lease_lost';
}
