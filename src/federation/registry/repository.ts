import { desc } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { registrySnapshots } from '../../db/schema/index';
import type { SnapshotRepository } from './store';

/** Keeps every snapshot taken; the newest `seq` is the last good one. */
export const dbSnapshotRepository = (db: Db): SnapshotRepository => ({
  async latest() {
    const [row] = await db.select({ token: registrySnapshots.token }).from(registrySnapshots).orderBy(desc(registrySnapshots.seq)).limit(1);
    return row?.token ?? null;
  },
  async save(snapshot, acceptedAt) {
    await db.insert(registrySnapshots).values({
      seq: snapshot.claims.seq,
      token: snapshot.token,
      issuedAt: new Date(snapshot.claims.iat * 1000),
      expiresAt: new Date(snapshot.claims.exp * 1000),
      acceptedAt,
    }).onConflictDoNothing();
  },
});
