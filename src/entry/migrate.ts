import { parseConfig } from '../config';
import { openDatabase } from './node/database';
import { join } from 'node:path';

/** `npm run db:migrate`: applies migrations/ to DATABASE_URL, or to the embedded database. */
async function main() {
  const config = parseConfig(process.env);
  const pgliteDir = join(config.dataDir, config.member ? 'db' : 'gaoxin/db');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir });
  console.log(`migrations applied (${database.driver}${database.driver === 'pglite' ? `, ${pgliteDir}` : ''})`);
  await database.close();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
