import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { clerks } from '../../db/schema/index';
import type { Clock } from '../../lib/clock';
import { toClerk, type Clerk } from './schema';

/**
 * Revokes a clerk's token from now on: its next request answers 401. Revoking twice keeps the first
 * time. `null`: no clerk has that id.
 */
export async function revokeClerk({ ctx, input }: {
  ctx: { db: Db; clock: Clock };
  input: { id: string };
}): Promise<{ clerk: Clerk; alreadyRevoked: boolean } | null> {
  const [revoked] = await ctx.db.update(clerks).set({ revokedAt: new Date(ctx.clock.now()) })
    .where(and(eq(clerks.id, input.id), isNull(clerks.revokedAt))).returning();
  if (revoked) return { clerk: toClerk(revoked), alreadyRevoked: false };
  const [existing] = await ctx.db.select().from(clerks).where(eq(clerks.id, input.id)).limit(1);
  return existing ? { clerk: toClerk(existing), alreadyRevoked: true } : null;
}
