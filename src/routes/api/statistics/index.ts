import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { registerGetStatistics } from './get-statistics';
import { registerGetStatisticsCsv } from './get-statistics-csv';

/** The member's statistics, as JSON for the console and as CSV for Excel. */
export function registerStatisticsRoutes(api: OpenAPIHono<AppEnv>, deps: Deps) {
  registerGetStatistics(api, deps);
  registerGetStatisticsCsv(api, deps);
}
