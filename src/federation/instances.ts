import { eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { gatewayInstances } from '../db/schema/index';

/** Defaults of HANDSHAKE_HEARTBEAT_MS and HANDSHAKE_INSTANCE_DEAD_MS. */
export const INSTANCE_DEFAULTS = { heartbeatMs: 5_000, deadMs: 30_000 };

/** This instance is alive at `now` (first call: it has started). */
export async function heartbeat(db: Db, id: string, now: Date): Promise<void> {
  await db.insert(gatewayInstances).values({ id, startedAt: now, seenAt: now })
    .onConflictDoUpdate({ target: gatewayInstances.id, set: { seenAt: now } });
}

/** Whether instance `id` has said nothing for `deadMs` (or never said anything this database still holds). */
export async function instanceGone(db: Db, id: string, now: Date, deadMs: number): Promise<boolean> {
  const [row] = await db.select({ seenAt: gatewayInstances.seenAt }).from(gatewayInstances).where(eq(gatewayInstances.id, id));
  return !row || now.getTime() - row.seenAt.getTime() > deadMs;
}

/** Forgets instances silent since `before` (their claims are long past STALE_CLAIM_MS by then). */
export async function purgeInstances(db: Db, before: Date): Promise<number> {
  return (await db.delete(gatewayInstances).where(lt(gatewayInstances.seenAt, before)).returning({ id: gatewayInstances.id })).length;
}
