import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index';

/**
 * The one database interface of the core. The Node entry builds it from postgres.js (DATABASE_URL) or
 * PGlite (embedded); the Workers entry from postgres.js over Hyperdrive.
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  /** `select 1`, for /ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
