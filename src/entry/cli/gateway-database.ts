import { ConfigError, parseConfig } from '../../config';
import { openDatabase } from '../node/database';
import { resolveMember } from '../node/resolve';
import { UsageError, type CliIo } from './command';

/**
 * The gateway's own database, found as `npm start` finds it (DATABASE_URL, else the member's PGlite
 * directory under HANDSHAKE_DATA_DIR), migrated. PGlite serves one process: stop the gateway first.
 */
export async function openGatewayDatabase(io: CliIo) {
  let config;
  try {
    config = parseConfig(io.env);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  const member = await resolveMember(config, Math.floor(Date.now() / 1000));
  return openDatabase({ databaseUrl: member.databaseUrl, pgliteDir: member.pgliteDir, maxConnections: 2 });
}
