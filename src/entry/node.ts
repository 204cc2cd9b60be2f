import { pathToFileURL } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { parseConfig, ConfigError, type Config } from '../config';
import { createGateway } from '../gateway';
import { systemClock } from '../lib/clock';
import { randomIds } from '../lib/ids';
import type { Logger } from '../lib/logger';
import { dirname } from 'node:path';
import { openDatabase, type PgliteImages } from './node/database';
import { resolveDataKey } from './node/data-key';
import { seedDefaultCatalog } from './node/catalog';
import { loadPartners, PARTNERS_DIR } from './node/partners';
import { dbCatalogReader } from '../services/catalog/catalog-in-force';
import type { CatalogReader } from '../services/catalog/offered-items';
import type { PartnerConfig } from '../services/partners/schema';
import { nodeEngine } from './node/engine';
import { nodeSealer } from './node/sealer';
import { createNodeFetch } from './node/http';
import { createNodeLogger } from './node/logger';
import { resolveMember, type ResolvedMember } from './node/resolve';
import { runDemoAlliance } from './node/demo';
import { registrySource } from './node/settings';
import { outboxSettings, startOutboxWorker } from './node/outbox-worker';
import { startBackOfficeWorker } from './node/backoffice-worker';
import { reconcileMeetingsOf } from '../services/meetings/reconcile';
import { diskConsoleAssets } from './node/console-assets';

const PURGE_EVERY_MS = 10 * 60 * 1000;
/** Open meetings against LiveKit's rooms: lost webhooks, warnings and the maximum duration. */
const RECONCILE_MEETINGS_EVERY_MS = 30 * 1000;

/** What a caller may supply in place of the environment: the dev alliance runs three members in one process. */
export interface RunOptions {
  /** Partner secrets by variable name; default process.env. */
  secret?: (name: string) => string | undefined;
  /** Adjusts the validated partner files (the dev alliance points them at its sandboxes). */
  partners?: (loaded: PartnerConfig[]) => PartnerConfig[];
  /** New embedded databases start from one migrated image (the dev alliance's members). */
  pgliteImages?: PgliteImages;
}

/** Runs one member gateway on Node: database (migrated), registry, HTTP server and upkeep timers. */
export async function runGateway(member: ResolvedMember, config: Config, logger: Logger, run: RunOptions = {}) {
  const http = createNodeFetch();
  const database = await openDatabase({ databaseUrl: member.databaseUrl, pgliteDir: member.pgliteDir, images: run.pgliteImages });
  let catalog: CatalogReader;
  let partners: PartnerConfig[];
  try {
    const { seeded } = await seedDefaultCatalog(database.db);
    if (seeded) logger.info({ version: seeded.label, items: seeded.itemCount }, 'default catalog imported');
    catalog = dbCatalogReader(database.db);
    partners = await loadPartners(config.partnersDir ?? PARTNERS_DIR, catalog, new Date());
    if (run.partners) partners = run.partners(partners);
  } catch (e) {
    await database.close();
    throw e;
  }
  const dataKey = resolveDataKey(config.dataKey, dirname(member.pgliteDir));
  if (dataKey.created) logger.warn({ file: dataKey.source }, 'generated a data key for personal data at rest; back it up, and set HANDSHAKE_DATA_KEY on every instance that shares this database');
  const gateway = await createGateway({
    instance: { id: randomIds.make('gw'), deadMs: config.instances.deadMs }, catalog, partners, dataKey: dataKey.key, secret: run.secret ?? ((name) => process.env[name]),
    memberId: member.memberId, publicUrl: member.publicUrl, signingJwk: member.signingJwk, anchors: member.anchors,
    registrySource: registrySource(member.registry, http.fetch), database, fetch: http.fetch,
    clock: systemClock, ids: randomIds, logger, blockedMembers: config.blockedMembers, engine: nodeEngine(), sealerOf: nodeSealer,
    outbox: outboxSettings(config.outbox), meetings: { livekit: config.livekit, ...config.meetings }, followUp: config.followUp, consoleAssets: diskConsoleAssets(), backOffice: { pollMs: config.backOffice.pollSeconds * 1000 },
  });
  const first = await gateway.registry.start();
  if (first.seq === null) {
    await database.close();
    throw new Error(`HANDSHAKE_REGISTRY: no valid registry snapshot (${first.reason ?? first.outcome}) and none stored`);
  }
  if (!gateway.ownKeyListed()) logger.warn({ kid: gateway.deps.self.signer.kid }, 'the registry does not list this gateway\'s signing key: peers will answer unknown_key');
  // Alive before serving: a claim this instance takes must never look like a dead one's.
  await gateway.heartbeat();
  let server: ServerType;
  try {
    server = await listen(gateway.app.fetch, member.port, config.host);
  } catch (e) {
    await Promise.allSettled([database.close(), http.close()]);
    throw e;
  }
  const timers = [
    setInterval(() => void gateway.heartbeat().catch((err: unknown) => logger.warn({ err }, 'heartbeat failed')), config.instances.heartbeatMs),
    setInterval(() => void gateway.registry.refresh(), config.registryRefreshSeconds * 1000),
    setInterval(() => void gateway.purge().catch((err: unknown) => logger.warn({ err }, 'purge failed')), PURGE_EVERY_MS),
    ...(gateway.deps.meetings.livekit
      ? [setInterval(() => void reconcileMeetingsOf(gateway.deps).catch((err: unknown) => logger.warn({ err }, 'meeting reconciliation failed')), RECONCILE_MEETINGS_EVERY_MS)]
      : []),
  ];
  timers.forEach((t) => t.unref());
  const outboxWorker = startOutboxWorker(gateway.outbox, { logger: logger.child({ component: 'outbox' }) });
  const backOfficeWorker = gateway.backOffice
    ? startBackOfficeWorker(gateway.backOffice, { logger: logger.child({ component: 'backoffice' }), afterWork: gateway.outbox.wake })
    : null;
  if (backOfficeWorker) gateway.deps.workQueued.subscribe(backOfficeWorker.wake);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : member.port;
  logger.info({ member: member.memberId, port, publicUrl: member.publicUrl, database: database.driver, registrySeq: first.seq }, 'gateway listening');
  return {
    gateway, server, port,
    async stop() {
      timers.forEach(clearInterval);
      await outboxWorker.stop();
      await backOfficeWorker?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await http.close();
      await database.close();
    },
  };
}

/** The HTTP server, listening; a port in use is an error naming it (not an uncaught 'error' event). */
function listen(fetch: (req: Request) => Response | Promise<Response>, port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new Error(`PORT ${port}: ${hostname}:${port} is already in use; stop what listens there or set another PORT`, { cause: e }) : e);
    const s = serve({ fetch, port, hostname }, () => { s.off('error', failed); resolve(s); });
    s.once('error', failed);
  });
}

async function main() {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const logger = createNodeLogger(config.logLevel);
  let running: { stop(): Promise<void> };
  if (config.member) {
    running = await runGateway(await resolveMember(config, Math.floor(Date.now() / 1000)), config, logger);
  } else {
    const demo = await runDemoAlliance(config, logger, runGateway);
    console.log(demo.howTo);
    running = demo;
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
