import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { replayGuard } from '../db/schema/index';
import { CLOCK_TOLERANCE } from './envelope/claims';

interface Pending {
  iss: string;
  jti: string;
  expiresAt: string;
  resolve(first: boolean): void;
  reject(e: unknown): void;
}

const MAX_BATCH = 500;

/**
 * §3.1 step 10 on PostgreSQL: a unique (iss, jti) insert, so every instance sharing the database agrees.
 * Claims that arrive while an insert is in flight go together in the next one (one statement, one
 * round trip), so under load the guard costs a fraction of a query per request and nothing when idle.
 */
export class ReplayGuard {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly db: Db) {}

  /** true the first time (iss, jti) is seen; false for a replay. */
  claim(iss: string, jti: string, expSec: number): Promise<boolean> {
    // The same pair twice in one batch: the insert would report it once, for both. The later one is a replay.
    if (this.queue.some((p) => p.iss === iss && p.jti === jti)) return Promise.resolve(false);
    return new Promise((resolve, reject) => {
      this.queue.push({ iss, jti, expiresAt: new Date((expSec + CLOCK_TOLERANCE) * 1000).toISOString(), resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        const inserted = await this.insert(batch);
        for (const p of batch) p.resolve(inserted.has(`${p.iss}\n${p.jti}`));
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
    }
    this.flushing = false;
  }

  private async insert(batch: Pending[]): Promise<Set<string>> {
    // One JSON text parameter: every driver passes it alike, whatever the batch size.
    const rows = JSON.stringify(batch.map((p) => ({ iss: p.iss, jti: p.jti, expires_at: p.expiresAt })));
    const result = await this.db.execute(sql`
      insert into replay_guard (iss, jti, expires_at)
      select iss, jti, expires_at from json_to_recordset(${rows}::json) as r(iss text, jti text, expires_at timestamptz)
      on conflict do nothing
      returning iss, jti`);
    return new Set(rowsOf<{ iss: string; jti: string }>(result).map((r) => `${r.iss}\n${r.jti}`));
  }

  /** Gives a claimed pair back (its request was refused before anything was done: the evidence could not be kept). */
  async release(iss: string, jti: string): Promise<void> {
    await this.db.delete(replayGuard).where(and(eq(replayGuard.iss, iss), eq(replayGuard.jti, jti)));
  }

  /** Deletes pairs past exp + 30 s: a token that old fails step 6 anyway. */
  async purge(now: Date): Promise<number> {
    const rows = await this.db.delete(replayGuard).where(lt(replayGuard.expiresAt, now)).returning({ jti: replayGuard.jti });
    return rows.length;
  }
}

/** `db.execute` answers rows directly on postgres.js and as `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}
