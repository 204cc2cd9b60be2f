import type { Db } from '../../db/client';
import { backOfficeAfterTransition } from './backoffice/after-transition';
import type { CaseCtx } from './case-ctx';
import { updateClocks } from './clocks';
import { advanceJoint } from './joint/advance';
import type { CaseEvent } from './events-schema';
import type { CaseRow } from './intake/types';
import type { CaseState } from './state-machine';

export interface TransitionFacts {
  /** The case as it was before the event (read under its row lock). */
  row: CaseRow;
  event: CaseEvent | { type: 'transfer_sent' | 'transfer_received'; eventId?: undefined; at?: undefined; data?: undefined };
  before: CaseState;
  after: CaseState;
  at: Date;
}

/**
 * What follows a case's every transition, in its transaction: the clocks (SLA per hop, the item's
 * deadline), the back office of a handling case, and the joint case a step belongs to.
 */
export async function afterTransition(tx: Db, ctx: CaseCtx, facts: TransitionFacts): Promise<void> {
  await updateClocks(tx, ctx, facts);
  await backOfficeAfterTransition(tx, ctx, facts);
  await advanceJoint(tx, ctx, facts);
}
