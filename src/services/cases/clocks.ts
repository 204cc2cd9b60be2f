import type { Db } from '../../db/client';
import type { TransitionFacts } from './after-transition';
import type { CaseCtx } from './case-ctx';

/** The case's clocks after a transition (SLA of the hop, the item's deadline, pauses while 补正). */
export async function updateClocks(_tx: Db, _ctx: CaseCtx, _facts: TransitionFacts): Promise<void> {}
