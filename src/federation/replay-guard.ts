import { lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { replayGuard } from '../db/schema/index';
import { CLOCK_TOLERANCE } from './envelope/claims';

/** §3.1 step 10 on PostgreSQL: a unique (iss, jti) insert, so every instance sharing the database agrees. */
export class ReplayGuard {
  constructor(private readonly db: Db) {}

  /** true the first time (iss, jti) is seen; false for a replay. */
  async claim(iss: string, jti: string, expSec: number): Promise<boolean> {
    const rows = await this.db.insert(replayGuard)
      .values({ iss, jti, expiresAt: new Date((expSec + CLOCK_TOLERANCE) * 1000) })
      .onConflictDoNothing()
      .returning({ jti: replayGuard.jti });
    return rows.length === 1;
  }

  /** Deletes pairs past exp + 30 s: a token that old fails step 6 anyway. */
  async purge(now: Date): Promise<number> {
    const rows = await this.db.delete(replayGuard).where(lt(replayGuard.expiresAt, now)).returning({ jti: replayGuard.jti });
    return rows.length;
  }
}
