import type { JWK } from 'jose';
import { createApp } from './app';
import type { Deps, Self } from './context';
import { DEFAULT_FOLLOW_UP, type FollowUpSettings } from './config';
import type { Database } from './db/client';
import { createFederationClient } from './federation/client';
import { IDEMPOTENCY_TTL_MS, IdempotencyStore } from './federation/idempotency';
import { heartbeat, purgeInstances } from './federation/instances';
import { createOutbox, type OutboxSettings } from './federation/outbox/outbox';
import { joseEngine, type JwsEngine } from './federation/engine';
import { dbEvidenceLog, type EvidenceLog } from './federation/evidence/log';
import { KeyCache, loadSigner, type Signer } from './federation/keys';
import { blockListPolicy, type FederationPolicy } from './federation/policy';
import { dbSnapshotRepository } from './federation/registry/repository';
import { RegistryStore, type RegistrySource } from './federation/registry/store';
import type { AnchorKeys } from './federation/registry/verify';
import { ReplayGuard } from './federation/replay-guard';
import type { Clock } from './lib/clock';
import type { FetchLike } from './lib/http';
import type { Ids } from './lib/ids';
import type { Logger } from './lib/logger';
import type { CatalogReader } from './services/catalog/offered-items';
import { createSealer, type Sealer } from './lib/sealed';
import { createSignal } from './lib/signal';
import { AppError } from './lib/errors';
import type { PartnerConfig } from './services/partners/schema';
import { transferReceiptHandler } from './services/cases/intake/record-receipt';
import { caseCtxOf } from './services/cases/case-ctx';
import { escalateOverdueComplaints } from './services/complaints/escalate-complaints';
import { complaintCtxOf } from './services/complaints/rules';
import { createBackOffice } from './services/cases/backoffice/back-office';
import type { BackOfficeSettings } from './services/cases/backoffice/settings';
import { adapterFactory } from '../adapters/registry';
import type { ConsoleAssets } from './routes/console/serve-console';
import type { MeetingSettings, PartnerLink } from './context';
import type { WorkingCalendar } from './services/calendar/calendar';
import { nationalCalendar } from './services/calendar/national';

const emptyCatalog: CatalogReader = { itemsInForce: async () => new Map() };

/** Without a data key, nothing personal is stored: such requests answer 503 rather than keep it in clear. */
const noDataKey: Sealer = {
  seal: async () => { throw new AppError('upstream_unavailable', 'this gateway has no data key (HANDSHAKE_DATA_KEY): personal data cannot be stored'); },
  open: async () => { throw new AppError('upstream_unavailable', 'this gateway has no data key (HANDSHAKE_DATA_KEY)'); },
};

export interface GatewayOptions {
  memberId: string;
  publicUrl: string;
  /** The private JWK; or pass `signer`, already loaded (Workers keep it for the isolate). */
  signingJwk?: JWK;
  signer?: Signer;
  /** Signature primitives (default: jose over WebCrypto); shared across gateways of a process or isolate. */
  engine?: JwsEngine;
  anchors: AnchorKeys;
  registrySource: RegistrySource;
  database: Database;
  fetch: FetchLike;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  /** The outbox's retry policy, circuit and lease (§5); defaults otherwise. */
  outbox?: OutboxSettings;
  policy?: FederationPolicy;
  blockedMembers?: string[];
  /** The catalog in force; without one, the gateway offers no items. */
  catalog?: CatalogReader;
  /** Validated partner files (validatePartners); each gets its adapter. */
  partners?: PartnerConfig[];
  /** 32 bytes: the key that seals personal data at rest (HANDSHAKE_DATA_KEY). */
  dataKey?: Uint8Array;
  /** Makes the sealer of `dataKey`; default WebCrypto (src/lib/sealed.ts). The Node entry gives node:crypto's. */
  sealerOf?: (key: Uint8Array) => Promise<Sealer>;
  /** Reads a secret by the environment variable name a partner file gives. */
  secret?: (name: string) => string | undefined;
  /** The evidence log; default the gateway's database. */
  evidence?: EvidenceLog;
  /**
   * This process as a gateway instance of its own (the Node entry; Workers, whose isolates come and go,
   * leave it out): a fresh id per start, said alive by `heartbeat()`. Its evidence goes to a chain of its
   * own (no lock, the head in memory) instead of the shared chain, and its §5 claims carry the id, so that
   * another instance takes them over as soon as this one has been silent for `deadMs`.
   */
  instance?: { id: string; deadMs: number };
  /** Working days for deadlines; default the national calendar (partners/calendar/national.json). */
  calendar?: WorkingCalendar;
  /** LiveKit and meeting limits (LIVEKIT_*, HANDSHAKE_MEETING_*); default: no video, 60 minutes. */
  meetings?: Partial<MeetingSettings>;
  /** The window console's files (dist/console); default: the console is not served. */
  consoleAssets?: ConsoleAssets;
  /** 好差评 and complaint clocks in working days; default 1 / 15 / 5. */
  followUp?: Partial<FollowUpSettings>;
  /** The back-office worker's pacing (poll interval, lease, backoff), when partners/<self>.json names one. */
  backOffice?: Partial<BackOfficeSettings>;
}

/** Assembles one member gateway from its ports; shared by the Node and Workers entries and the tests. */
export async function createGateway(opts: GatewayOptions) {
  if (!opts.signer && !opts.signingJwk) throw new Error('createGateway needs signer or signingJwk');
  const signer = opts.signer ?? (await loadSigner(opts.signingJwk!));
  const self: Self = { memberId: opts.memberId, publicUrl: opts.publicUrl.replace(/\/+$/, ''), signer };
  const db = opts.database.db;
  const engine = opts.engine ?? joseEngine(new KeyCache());
  const registry = new RegistryStore({
    anchors: opts.anchors, source: opts.registrySource, repository: dbSnapshotRepository(db),
    clock: opts.clock, logger: opts.logger.child({ component: 'registry' }),
  });
  // Personal data at rest (case rows, transfer bodies in the outbox, evidence bodies) is sealed with the data key.
  const sealer = opts.dataKey ? await (opts.sealerOf ?? createSealer)(opts.dataKey) : undefined;
  const deps: Deps = {
    self, database: opts.database, registry, engine,
    evidence: opts.evidence ?? dbEvidenceLog({
      db, engine, clock: opts.clock, sealer, registrySeq: () => registry.current()?.seq ?? null, logger: opts.logger.child({ component: 'evidence' }),
      ...(opts.instance ? { chain: opts.instance.id } : {}),
    }),
    replay: new ReplayGuard(db), idempotency: new IdempotencyStore(db, opts.instance ? { instanceId: opts.instance.id, instanceDeadMs: opts.instance.deadMs } : {}),
    policy: opts.policy ?? blockListPolicy(opts.blockedMembers ?? []),
    catalog: opts.catalog ?? emptyCatalog, sealer: sealer ?? noDataKey, partners: linkPartners(opts), calendar: opts.calendar ?? nationalCalendar(), clock: opts.clock,
    meetings: { livekit: null, maxMinutes: 60, warnMinutes: 5, ...opts.meetings }, ids: opts.ids, logger: opts.logger,
    followUp: { ...DEFAULT_FOLLOW_UP, ...opts.followUp }, consoleAssets: opts.consoleAssets ?? null,
    workQueued: createSignal(),
  };
  const client = createFederationClient({ self, registry, fetch: opts.fetch, clock: opts.clock, ids: opts.ids, engine, evidence: deps.evidence });
  const outbox = createOutbox({ ...opts.outbox, db, client, clock: opts.clock, ids: opts.ids, logger: opts.logger, sealer: deps.sealer });
  // A delivered §7.1 transfer: its receipt lands on the intake case in the delivery's transaction.
  outbox.onDelivered(transferReceiptHandler(caseCtxOf(deps)));
  // The member's own back office (partners/<self>.json) handles its cases; without one, its clerks do.
  const backOffice = deps.partners.has(self.memberId) ? createBackOffice(caseCtxOf(deps), opts.backOffice) : null;
  deps.workQueued.subscribe(outbox.wake);
  return {
    deps, registry, client, app: createApp(deps),
    /** Durable delivery (§5): enqueue in the caller's transaction; a worker loop (Node entry) delivers. */
    outbox,
    /** Submits, polls and withdraws handling cases at the member's back office (a worker loop drives it); null without one. */
    backOffice,
    /** Periodic upkeep: drops replay pairs and idempotency answers past their keeping time; escalates unanswered complaints. */
    async purge(): Promise<{ replay: number; idempotency: number; instances: number; complaintsEscalated: number }> {
      const now = new Date(opts.clock.now());
      const purged = {
        replay: await deps.replay.purge(now), idempotency: await deps.idempotency.purge(now),
        instances: await purgeInstances(db, new Date(now.getTime() - IDEMPOTENCY_TTL_MS)),
      };
      // Complaints unanswered past their reply date go up a level (限时回复); counts only reach the log.
      return { ...purged, complaintsEscalated: (await escalateOverdueComplaints({ ctx: complaintCtxOf(deps) })).escalated };
    },
    /** Says this instance is alive (`instance` set; else a no-op): at start, before serving, then periodically. */
    async heartbeat(): Promise<void> {
      if (opts.instance) await heartbeat(db, opts.instance.id, new Date(opts.clock.now()));
    },
    /** Warns when the registry does not list this gateway's signing key as usable. */
    ownKeyListed(): boolean {
      const k = registry.current()?.keys.get(signer.kid);
      return !!k && k.member.id === self.memberId && k.jwk.status !== 'revoked';
    },
  };
}

export type Gateway = Awaited<ReturnType<typeof createGateway>>;

/** Each validated partner with the adapter its file names. */
function linkPartners(opts: GatewayOptions): ReadonlyMap<string, PartnerLink> {
  const partners = new Map<string, PartnerLink>();
  for (const config of opts.partners ?? []) {
    const factory = adapterFactory(config.adapter);
    if (!factory) throw new Error(`partner ${config.member}: no adapter named ${config.adapter}`);
    const logger = opts.logger.child({ partner: config.member });
    const adapter = factory.create({ partner: config, fetch: opts.fetch, clock: opts.clock, logger, secret: opts.secret ?? (() => undefined) });
    partners.set(config.member, { config, adapter });
  }
  return partners;
}
