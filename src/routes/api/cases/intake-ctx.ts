import type { Deps } from '../../../context';
import type { IntakeCtx } from '../../../services/cases/intake/types';

export const intakeCtx = (deps: Deps): IntakeCtx => ({
  db: deps.database.db, sealer: deps.sealer, engine: deps.engine, catalog: deps.catalog,
  registry: () => deps.registry.current(), selfId: deps.self.memberId, clock: deps.clock, ids: deps.ids,
});
