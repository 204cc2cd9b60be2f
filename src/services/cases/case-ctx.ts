import type { Deps } from '../../context';
import type { WorkingCalendar } from '../calendar/calendar';
import type { IntakeCtx } from './intake/types';

/**
 * What the case services read and write through, built from Deps by the routes and the workers: the
 * intake services' needs plus the partners (the back office and the agreements' SLA hours) and the
 * working-day calendar of the clocks.
 */
export interface CaseCtx extends IntakeCtx {
  partners: Deps['partners'];
  calendar: WorkingCalendar;
  logger: Deps['logger'];
}

export const caseCtxOf = (deps: Deps): CaseCtx => ({
  db: deps.database.db, sealer: deps.sealer, engine: deps.engine, catalog: deps.catalog,
  registry: () => deps.registry.current(), selfId: deps.self.memberId, clock: deps.clock, ids: deps.ids,
  partners: deps.partners, calendar: deps.calendar, logger: deps.logger,
});
