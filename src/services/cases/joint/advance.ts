import type { Db } from '../../../db/client';
import type { TransitionFacts } from '../after-transition';
import type { CaseCtx } from '../case-ctx';

/** A step of a joint case moved: transfer the steps it unblocks, or stop its dependants and tell the intake clerk. */
export async function advanceJoint(_tx: Db, _ctx: CaseCtx, _facts: TransitionFacts): Promise<void> {}
