/**
 * The Cloudflare Workers entry (wrangler.toml; built by `npm run build:worker`). One gateway per request
 * over one Hyperdrive connection; what is pure (settings, keys, logger, the registry source's last answer)
 * lives for the isolate. Migrations are not run here: apply them with `npm run db:migrate` and DATABASE_URL
 * pointing at the database behind the Hyperdrive binding.
 */
import type { ExecutionContext } from 'hono';
import { ConfigError } from '../config';
import type { Database } from '../db/client';
import type { RegistrySource } from '../federation/registry/store';
import { joseEngine, type JwsEngine } from '../federation/engine';
import { KeyCache, loadSigner, type Signer } from '../federation/keys';
import { createGateway } from '../gateway';
import { dbCatalogReader } from '../services/catalog/catalog-in-force';
import { systemClock } from '../lib/clock';
import { AppError, problemResponse } from '../lib/errors';
import { randomIds } from '../lib/ids';
import type { Logger } from '../lib/logger';
import { openHyperdrive } from './worker/database';
import { createConsoleLogger } from './worker/logger';
import { readWorkerSettings, registrySource, throttledSource, type WorkerEnv, type WorkerSettings } from './worker/settings';

interface Isolate {
  settings: WorkerSettings;
  signer: Promise<Signer>;
  engine: JwsEngine;
  logger: Logger;
  registry: ReturnType<typeof throttledSource>;
}

/** The cron event; only its presence matters here. */
interface ScheduledController {
  cron: string;
  scheduledTime: number;
}

let isolate: Isolate | null = null;

/** Throws ConfigError; a failure is not kept, so fixed settings take effect on the next request. */
function setUp(env: WorkerEnv): Isolate {
  if (isolate) return isolate;
  const settings = readWorkerSettings(env);
  const source = registrySource(settings.member.registry, (input, init) => fetch(input, init));
  isolate = {
    settings,
    signer: loadSigner(settings.signingJwk),
    engine: joseEngine(new KeyCache()),
    // No `member` binding at the root: the core binds `member` to the peer of a signed request.
    logger: createConsoleLogger(settings.config.logLevel),
    // The registry source is asked at most once per refresh period (60 s by default) per isolate.
    registry: throttledSource(source, settings.config.registryRefreshSeconds * 1000, () => Date.now()),
  };
  return isolate;
}

/** A gateway on this request's connection, its registry loaded from the database and (throttled) the source. */
async function openGateway(iso: Isolate, database: Database, source: RegistrySource) {
  const { settings, logger } = iso;
  const gateway = await createGateway({
    memberId: settings.member.memberId, publicUrl: settings.member.publicUrl, signer: await iso.signer, engine: iso.engine, catalog: dbCatalogReader(database.db),
    anchors: settings.anchors, registrySource: source, database, fetch: (input, init) => fetch(input, init),
    clock: systemClock, ids: randomIds, logger, blockedMembers: settings.config.blockedMembers,
  });
  const registry = await gateway.registry.start();
  if (registry.seq === null) logger.error({ reason: registry.reason }, 'no registry snapshot, stored or fetched: signed requests answer unknown_key');
  return { gateway, registry };
}

function unconfigured(e: unknown): Response {
  const requestId = randomIds.make('rq');
  // A ConfigError names variables, never their values.
  console.error(JSON.stringify({ level: 'error', requestId, msg: e instanceof ConfigError ? e.message : 'worker setup failed' }));
  return problemResponse(e, requestId);
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let iso: Isolate;
    try {
      iso = setUp(env);
    } catch (e) {
      return unconfigured(e);
    }
    const database = openHyperdrive(env.HYPERDRIVE);
    try {
      const { gateway } = await openGateway(iso, database, iso.registry.cached);
      return await gateway.app.fetch(request, env, ctx);
    } catch (err) {
      const requestId = randomIds.make('rq');
      iso.logger.error({ err, requestId }, 'gateway unavailable');
      return problemResponse(new AppError('upstream_unavailable', 'the gateway cannot reach its database'), requestId);
    } finally {
      ctx.waitUntil(database.close());
    }
  },

  /** Upkeep (the crons of wrangler.toml): a registry refresh past the throttle, then the purge. */
  async scheduled(_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const iso = setUp(env);
    const database = openHyperdrive(env.HYPERDRIVE);
    try {
      const { gateway, registry } = await openGateway(iso, database, iso.registry.fresh);
      const purged = await gateway.purge();
      iso.logger.info({ registrySeq: registry.seq, registryOutcome: registry.outcome, purged }, 'upkeep done');
      if (!gateway.ownKeyListed()) iso.logger.warn({ kid: gateway.deps.self.signer.kid }, 'the registry does not list this gateway\'s signing key: peers will answer unknown_key');
    } finally {
      ctx.waitUntil(database.close());
    }
  },
};
