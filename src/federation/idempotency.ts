import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { idempotencyKeys } from '../db/schema/index';
import { INSTANCE_DEFAULTS, instanceGone } from './instances';

/** §5: answers are kept at least 7 days. */
export const IDEMPOTENCY_TTL_MS = 7 * 24 * 3600 * 1000;
/**
 * A claim older than this with no answer belongs to a crashed worker and may be taken over. A claim by an
 * instance that has stopped its heartbeat (gateway_instances) may be taken over at once.
 */
export const STALE_CLAIM_MS = 5 * 60 * 1000;

export interface IdempotencyStoreOptions {
  /** This gateway instance (gateway_instances.id), written on its claims; absent: claims name no instance (Workers). */
  instanceId?: string;
  /** How long an instance may be silent before its claims count as abandoned. */
  instanceDeadMs?: number;
}

export interface IdempotencyRequest {
  iss: string;
  key: string;
  method: string;
  path: string;
  bodyDigest: string;
}

export interface StoredAnswer {
  status: number;
  contentType: string | null;
  body: Uint8Array;
}

export type ClaimResult =
  | { kind: 'claimed'; resumed: boolean }
  | { kind: 'replay'; answer: StoredAnswer }
  | { kind: 'conflict' }
  | { kind: 'in_progress' };

/** The (iss, key) store of §5, whatever the path. */
export class IdempotencyStore {
  private readonly instanceId: string | null;
  private readonly deadMs: number;

  constructor(private readonly db: Db, opts: IdempotencyStoreOptions = {}) {
    this.instanceId = opts.instanceId ?? null;
    this.deadMs = opts.instanceDeadMs ?? INSTANCE_DEFAULTS.deadMs;
  }

  /** Claims the key for a first request, or says how an earlier one with the same key stands. */
  async claim(req: IdempotencyRequest, now: Date): Promise<ClaimResult> {
    const inserted = await this.db.insert(idempotencyKeys)
      .values({ ...req, createdAt: now, claimedBy: this.instanceId, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length === 1) return { kind: 'claimed', resumed: false };
    const [row] = await this.db.select().from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.iss, req.iss), eq(idempotencyKeys.key, req.key)));
    if (!row) return this.claim(req, now); // purged between the two statements
    if (row.method !== req.method || row.path !== req.path || row.bodyDigest !== req.bodyDigest) return { kind: 'conflict' };
    if (row.status !== null) return { kind: 'replay', answer: { status: row.status, contentType: row.contentType, body: row.responseBody ?? new Uint8Array() } };
    if ((await this.abandoned(row, now)) && (await this.takeOver(req, row.createdAt, now))) return { kind: 'claimed', resumed: true };
    return { kind: 'in_progress' };
  }

  async complete(req: Pick<IdempotencyRequest, 'iss' | 'key'>, answer: StoredAnswer): Promise<void> {
    await this.db.update(idempotencyKeys)
      .set({ status: answer.status, contentType: answer.contentType, responseBody: answer.body })
      .where(and(eq(idempotencyKeys.iss, req.iss), eq(idempotencyKeys.key, req.key)));
  }

  /** Frees a claim whose work failed before an answer worth keeping (a 5xx), so a retry can run. */
  async release(req: Pick<IdempotencyRequest, 'iss' | 'key'>): Promise<void> {
    await this.db.delete(idempotencyKeys)
      .where(and(eq(idempotencyKeys.iss, req.iss), eq(idempotencyKeys.key, req.key), isNull(idempotencyKeys.status)));
  }

  async purge(now: Date): Promise<number> {
    const rows = await this.db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, now)).returning({ key: idempotencyKeys.key });
    return rows.length;
  }

  /** An unanswered claim nobody is working on: old, or its instance has gone silent. */
  private async abandoned(row: { createdAt: Date; claimedBy: string | null }, now: Date): Promise<boolean> {
    if (now.getTime() - row.createdAt.getTime() > STALE_CLAIM_MS) return true;
    return row.claimedBy !== null && row.claimedBy !== this.instanceId && (await instanceGone(this.db, row.claimedBy, now, this.deadMs));
  }

  private async takeOver(req: IdempotencyRequest, createdAt: Date, now: Date): Promise<boolean> {
    const rows = await this.db.update(idempotencyKeys).set({ createdAt: now, claimedBy: this.instanceId })
      .where(and(eq(idempotencyKeys.iss, req.iss), eq(idempotencyKeys.key, req.key), eq(idempotencyKeys.createdAt, createdAt), isNull(idempotencyKeys.status)))
      .returning({ key: idempotencyKeys.key });
    return rows.length === 1;
  }
}
