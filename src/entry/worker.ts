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
import { outboxSettings, type Outbox } from '../federation/outbox/outbox';
import { parseDataKey } from '../lib/sealed';
import { dbCatalogReader } from '../services/catalog/catalog-in-force';
import { reconcileMeetingsOf } from '../services/meetings/reconcile';
import { systemClock } from '../lib/clock';
import { AppError, problemResponse } from '../lib/errors';
import { randomIds } from '../lib/ids';
import type { Logger } from '../lib/logger';
import type { ConsoleAssets } from '../routes/console/serve-console';
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

/** The cron of wrangler.toml that also refreshes the registry and purges; the others only deliver. */
const UPKEEP_CRON = '*/10 * * * *';
/** Wall time one cron spends delivering; what is left waits for the next minute. */
const OUTBOX_BUDGET_MS = 20_000;

/** Claims and delivers due messages, a batch at a time, until none is due or the budget is spent. */
async function drainOutbox(outbox: Outbox, until: number): Promise<{ attempts: number; delivered: number }> {
  let attempts = 0;
  let delivered = 0;
  while (Date.now() < until) {
    const results = await outbox.runOnce(8);
    if (!results.length) break;
    attempts += results.length;
    delivered += results.filter((r) => r === 'delivered').length;
  }
  return { attempts, delivered };
}

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
async function openGateway(iso: Isolate, database: Database, source: RegistrySource, consoleAssets?: ConsoleAssets) {
  const { settings, logger } = iso;
  const gateway = await createGateway({
    memberId: settings.member.memberId, publicUrl: settings.member.publicUrl, signer: await iso.signer, engine: iso.engine, catalog: dbCatalogReader(database.db),
    anchors: settings.anchors, registrySource: source, database, fetch: (input, init) => fetch(input, init),
    clock: systemClock, ids: randomIds, logger, blockedMembers: settings.config.blockedMembers, outbox: outboxSettings(settings.config.outbox), meetings: { livekit: settings.config.livekit, ...settings.config.meetings }, followUp: settings.config.followUp, consoleAssets,
    ...(settings.config.dataKey ? { dataKey: parseDataKey(settings.config.dataKey) } : {}),
  });
  const registry = await gateway.registry.start();
  if (registry.seq === null) logger.error({ reason: registry.reason }, 'no registry snapshot, stored or fetched: signed requests answer unknown_key');
  return { gateway, registry };
}

/** The console's files through the assets binding (run_worker_first: the Worker decides what is served). */
function assetsBinding(assets: NonNullable<WorkerEnv['ASSETS']>): ConsoleAssets {
  return {
    async read(path) {
      const res = await assets.fetch(new Request(`https://assets.invalid/${path}`));
      if (!res.ok) return null;
      return { body: new Uint8Array(await res.arrayBuffer()), type: res.headers.get('content-type') ?? 'application/octet-stream' };
    },
  };
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
      const { gateway } = await openGateway(iso, database, iso.registry.cached, env.ASSETS ? assetsBinding(env.ASSETS) : undefined);
      return await gateway.app.fetch(request, env, ctx);
    } catch (err) {
      const requestId = randomIds.make('rq');
      iso.logger.error({ err, requestId }, 'gateway unavailable');
      return problemResponse(new AppError('upstream_unavailable', 'the gateway cannot reach its database'), requestId);
    } finally {
      ctx.waitUntil(database.close());
    }
  },

  /**
   * The crons of wrangler.toml. Every one delivers what the outbox has due (no worker loop runs on
   * Workers, so a message waits at most a minute); UPKEEP_CRON also refreshes the registry past the
   * throttle and purges.
   */
  async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const iso = setUp(env);
    const database = openHyperdrive(env.HYPERDRIVE);
    const upkeep = controller.cron === UPKEEP_CRON;
    try {
      const { gateway, registry } = await openGateway(iso, database, upkeep ? iso.registry.fresh : iso.registry.cached);
      const delivery = await drainOutbox(gateway.outbox, Date.now() + OUTBOX_BUDGET_MS);
      if (delivery.attempts) iso.logger.info(delivery, 'outbox round done');
      if (!upkeep) {
        // Open meetings against LiveKit's rooms (lost webhooks, the maximum duration), every minute.
        const meetings = await reconcileMeetingsOf(gateway.deps).catch((err: unknown) => { iso.logger.warn({ err }, 'meeting reconciliation failed'); return null; });
        if (meetings && (meetings.warned.length || meetings.closed.length || meetings.failed.length)) iso.logger.info(meetings, 'meetings reconciled');
        return;
      }
      const purged = await gateway.purge();
      iso.logger.info({ registrySeq: registry.seq, registryOutcome: registry.outcome, purged }, 'upkeep done');
      if (!gateway.ownKeyListed()) iso.logger.warn({ kid: gateway.deps.self.signer.kid }, 'the registry does not list this gateway\'s signing key: peers will answer unknown_key');
    } finally {
      ctx.waitUntil(database.close());
    }
  },
};
