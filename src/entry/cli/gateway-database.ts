import { ConfigError, parseConfig, type Config } from '../../config';
import { openDatabase } from '../node/database';
import { resolveMember, type ResolvedMember } from '../node/resolve';
import { UsageError, type CliIo } from './command';

/**
 * The gateway's own database, found as `npm start` finds it (DATABASE_URL, else the member's PGlite
 * directory under HANDSHAKE_DATA_DIR), migrated. PGlite serves one process: stop the gateway first.
 */
export async function openGatewayDatabase(io: CliIo) {
  const { member } = await resolveCliMember(io);
  return openDatabase({ databaseUrl: member.databaseUrl, pgliteDir: member.pgliteDir, maxConnections: 2 });
}

/** This gateway's configuration and member, as `npm start` resolves them; a bad variable is a usage error (exit 2). */
export async function resolveCliMember(io: CliIo): Promise<{ config: Config; member: ResolvedMember }> {
  let config: Config;
  try {
    config = parseConfig(io.env);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  return { config, member: await resolveMember(config, Math.floor(Date.now() / 1000)) };
}
