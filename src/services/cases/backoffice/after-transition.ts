import type { Db } from '../../../db/client';
import type { TransitionFacts } from '../after-transition';
import type { CaseCtx } from '../case-ctx';

/** A handling case with a back office moved (e.g. withdrawn by the intake member): schedule the back-office worker. */
export async function backOfficeAfterTransition(_tx: Db, _ctx: CaseCtx, _facts: TransitionFacts): Promise<void> {}
