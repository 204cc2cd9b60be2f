import type { Db } from '../../db/client';
import type { CaseCtx } from './case-ctx';
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
 * What follows a case's every transition, in its transaction: today nothing beyond the timeline; the
 * clocks (SLA per hop, the item's deadline) and joint steps hook in here.
 */
export async function afterTransition(_tx: Db, _ctx: CaseCtx, _facts: TransitionFacts): Promise<void> {}
