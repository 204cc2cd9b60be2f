import { seconds, type Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { buildKeyIndex, type KeyIndex } from './key-index';
import { RegistryRejected, verifyRegistry, type AnchorKeys, type RegistrySnapshot } from './verify';

/** Where snapshots come from: the configured file or URL, never a URL named in a request (§2). */
export type RegistrySource = () => Promise<string>;

/** Persistence of the last good snapshot, so a restart does not depend on the source being up. */
export interface SnapshotRepository {
  latest(): Promise<string | null>;
  save(snapshot: RegistrySnapshot, acceptedAt: Date): Promise<void>;
}

export interface RefreshResult {
  outcome: 'taken' | 'unchanged' | 'refused' | 'unreachable';
  seq: number | null;
  reason?: string;
}

export interface RegistryStoreOptions {
  anchors: AnchorKeys;
  source: RegistrySource;
  repository: SnapshotRepository;
  clock: Clock;
  logger: Logger;
  /** Minimum time between refreshes triggered by an unknown kid (§3.1 step 3); at least 30 s. */
  unknownKeyCooldownMs?: number;
}

/**
 * Holds the registry in force. Readers take `current()` once per request: a refresh swaps the whole
 * index in one assignment, so no request ever sees half of two snapshots.
 */
export class RegistryStore {
  private index: KeyIndex | null = null;
  private lastRefreshAt = 0;
  private lastUnknownKeyRefresh = -Infinity;
  private inFlight: Promise<RefreshResult> | null = null;

  constructor(private readonly opts: RegistryStoreOptions) {}

  current(): KeyIndex | null {
    return this.index;
  }

  /** The anchor keys snapshots are checked with: an evidence bundle carries them so it verifies offline. */
  anchors(): AnchorKeys {
    return this.opts.anchors;
  }

  /** Loads the persisted snapshot (if still valid), then asks the source. */
  async start(): Promise<RefreshResult> {
    const stored = await this.opts.repository.latest();
    if (stored) {
      try {
        // An expired stored snapshot still serves the keys it knows: §2 keeps the last good one and alerts.
        this.index = buildKeyIndex(await verifyRegistry(stored, this.opts.anchors, this.now(), null, { allowExpired: true }));
      } catch (e) {
        this.opts.logger.warn({ reason: e instanceof RegistryRejected ? e.reason : 'unreadable' }, 'stored registry snapshot not usable');
      }
    }
    return this.refresh();
  }

  /** One refresh; concurrent callers share it. Never throws. */
  refresh(): Promise<RefreshResult> {
    this.inFlight ??= this.doRefresh().finally(() => { this.inFlight = null; });
    return this.inFlight;
  }

  /** §3.1 step 3: an unknown kid may trigger one refresh, at most once per cooldown. */
  async refreshForUnknownKey(): Promise<boolean> {
    const now = this.opts.clock.now();
    if (now - this.lastUnknownKeyRefresh < Math.max(30_000, this.opts.unknownKeyCooldownMs ?? 30_000)) return false;
    this.lastUnknownKeyRefresh = now;
    return (await this.refresh()).outcome === 'taken';
  }

  /** For /ready and alerts: whether the snapshot in force is past its `exp`. */
  status(): { seq: number | null; expired: boolean; expiresAt: number | null; lastRefreshAt: number | null } {
    const idx = this.index;
    return {
      seq: idx?.seq ?? null,
      expired: !idx || idx.expiresAt <= this.now(),
      expiresAt: idx?.expiresAt ?? null,
      lastRefreshAt: this.lastRefreshAt || null,
    };
  }

  private now(): number {
    return seconds(this.opts.clock);
  }

  private async doRefresh(): Promise<RefreshResult> {
    const held = this.index;
    let token: string;
    try {
      token = (await this.opts.source()).trim();
    } catch (e) {
      return this.fail('unreachable', `source unreachable: ${(e as Error).message}`);
    }
    let snapshot: RegistrySnapshot;
    try {
      snapshot = await verifyRegistry(token, this.opts.anchors, this.now(), held?.seq ?? null);
    } catch (e) {
      if (e instanceof RegistryRejected) return this.fail('refused', e.reason);
      return this.fail('refused', 'unexpected error while verifying');
    }
    this.lastRefreshAt = this.opts.clock.now();
    if (held && snapshot.claims.seq === held.seq) {
      if (snapshot.token !== held.snapshot.token) return this.fail('refused', `a different snapshot with the held seq ${held.seq}`);
      return { outcome: 'unchanged', seq: held.seq };
    }
    await this.opts.repository.save(snapshot, new Date(this.opts.clock.now()));
    this.index = buildKeyIndex(snapshot);
    this.opts.logger.info({ seq: snapshot.claims.seq, members: snapshot.claims.members.length }, 'registry snapshot taken');
    return { outcome: 'taken', seq: snapshot.claims.seq };
  }

  private fail(outcome: 'refused' | 'unreachable', reason: string): RefreshResult {
    const s = this.status();
    const log = s.expired ? this.opts.logger.error.bind(this.opts.logger) : this.opts.logger.warn.bind(this.opts.logger);
    log({ reason, heldSeq: s.seq, registryExpired: s.expired, alert: s.expired ? 'registry_expired' : undefined }, 'registry refresh failed; keeping the last good snapshot');
    return { outcome, seq: s.seq, reason };
  }
}
