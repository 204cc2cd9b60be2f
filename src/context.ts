import type { FollowUpSettings } from './config';
import type { ConsoleAssets } from './routes/console/serve-console';
import type { Database } from './db/client';
import type { IdempotencyStore } from './federation/idempotency';
import type { JwsEngine } from './federation/engine';
import type { EvidenceLog } from './federation/evidence/log';
import type { Signer } from './federation/keys';
import type { FederationPolicy } from './federation/policy';
import type { IndexedKey } from './federation/registry/key-index';
import type { RegistryStore } from './federation/registry/store';
import type { ReplayGuard } from './federation/replay-guard';
import type { RequestClaims } from './federation/envelope/claims';
import type { Clock } from './lib/clock';
import type { Ids } from './lib/ids';
import type { Logger } from './lib/logger';
import type { Sealer } from './lib/sealed';
import type { Signal } from './lib/signal';
import type { CatalogReader } from './services/catalog/offered-items';
import type { WorkingCalendar } from './services/calendar/calendar';
import type { ClerkIdentity } from './services/clerks/schema';
import type { PartnerConfig } from './services/partners/schema';
import type { PartnerAdapter } from '../adapters/types';

/** A partner's file and the adapter that speaks to its back office. */
export interface PartnerLink {
  config: PartnerConfig;
  adapter: PartnerAdapter;
}

export interface MeetingSettings {
  livekit: { url: string; apiKey: string; apiSecret: string } | null;
  maxMinutes: number;
  warnMinutes: number;
}

/** This gateway as a member of the alliance. */
export interface Self {
  memberId: string;
  /** Configured public base URL, no trailing slash; `htu` is checked against it, never against Host. */
  publicUrl: string;
  signer: Signer;
}

/** Everything the app needs, built by an entry (Node, Workers, tests). */
export interface Deps {
  self: Self;
  database: Database;
  registry: RegistryStore;
  replay: ReplayGuard;
  idempotency: IdempotencyStore;
  policy: FederationPolicy;
  engine: JwsEngine;
  /** The append-only, hash-chained log of every signed message (issue 4). */
  evidence: EvidenceLog;
  /** The alliance catalog in force (issue 3). */
  catalog: CatalogReader;
  /** Seals personal data at rest (ID numbers, phones). */
  sealer: Sealer;
  /** Partners by member id (partners/*.json), each with its adapter. */
  partners: ReadonlyMap<string, PartnerLink>;
  /** Cloud meetings (云见面): the LiveKit server (null: not configured, the meetings API answers 503) and limits. */
  meetings: MeetingSettings;
  /** The window console's built files; null: not served (tests of the API alone). */
  consoleAssets: ConsoleAssets | null;
  /** 好差评 and complaint clocks, in working days (HANDSHAKE_BAD_REVIEW_*, HANDSHAKE_COMPLAINT_REPLY_DAYS). */
  followUp: FollowUpSettings;
  /** Working days for deadlines (weekends, national holidays and 调休). */
  calendar: WorkingCalendar;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  /**
   * Notified after a request that may have queued work has committed (a wake inside the transaction
   * would find nothing yet): this instance's outbox and back-office workers look at once. Other
   * instances find the work at their next poll.
   */
  workQueued: Signal;
}

/** The verified sender of a signed request (§3.1 steps 1-8 passed). */
export interface Peer {
  memberId: string;
  claims: RequestClaims;
  key: IndexedKey;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    peer: Peer;
    /** The clerk of a `/api/v1` request, set by clerkAuth. */
    clerk: ClerkIdentity;
    rawBody: Uint8Array;
    /** The case a federation request concerns, when a route knows it: written with its evidence. */
    caseRef?: string;
    /**
     * Set when this request's Idempotency-Key was claimed before by a worker that died without answering
     * (§5, a stale claim taken over): the work may have been done, its answer never recorded.
     */
    resumedClaim?: boolean;
  };
}
