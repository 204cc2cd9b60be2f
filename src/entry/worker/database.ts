import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database, Db } from '../../db/client';
import * as schema from '../../db/schema/index';

/** The Hyperdrive binding: a connection string to Cloudflare's pool in front of PostgreSQL. */
export interface Hyperdrive {
  connectionString: string;
}

/**
 * One connection for one request: a Worker cannot reuse a socket across requests, and Hyperdrive keeps
 * the real pool. No prepared statements and no type fetch, so a query costs one round trip. Connects
 * lazily, on the first query.
 */
export function openHyperdrive(binding: Hyperdrive): Database {
  const client = postgres(binding.connectionString, { max: 1, prepare: false, fetch_types: false, connect_timeout: 5, onnotice: () => {} });
  const db = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    ping: async () => { await db.execute(sql`select 1`); },
    close: () => client.end({ timeout: 1 }),
  };
}
