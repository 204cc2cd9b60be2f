import { asc } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { registrySnapshots } from '../../db/schema/index';
import { fromBase64url, fromUtf8 } from '../../lib/encoding';
import { buildKeyIndex, type IndexedKey, type KeyIndex } from '../registry/key-index';
import { RegistryRejected, verifyRegistry, type AnchorKeys } from '../registry/verify';

/** Registry snapshots that verified with the anchor keys, by their signed seq; and those that did not. */
export interface SnapshotKeys {
  byseq: ReadonlyMap<number, KeyIndex>;
  refused: { seq: number | null; reason: string }[];
}

/** Every snapshot the gateway took (registry_snapshots keeps them all), oldest first. */
export async function storedSnapshots(db: Db): Promise<string[]> {
  const rows = await db.select({ token: registrySnapshots.token }).from(registrySnapshots).orderBy(asc(registrySnapshots.seq));
  return rows.map((r) => r.token);
}

/**
 * Checks each snapshot's signature against the anchor keys (§2; expired ones are fine: the question is
 * which keys the anchor listed then) and indexes the keys of those that verify.
 */
export async function verifySnapshots(tokens: readonly string[], anchors: AnchorKeys, nowSec: number): Promise<SnapshotKeys> {
  const byseq = new Map<number, KeyIndex>();
  const refused: SnapshotKeys['refused'] = [];
  for (const token of tokens) {
    try {
      const snapshot = await verifyRegistry(token, anchors, nowSec, null, { allowExpired: true });
      byseq.set(snapshot.claims.seq, buildKeyIndex(snapshot));
    } catch (e) {
      refused.push({ seq: unverifiedSeq(token), reason: e instanceof RegistryRejected ? e.reason : (e as Error).message });
    }
  }
  return { byseq, refused };
}

/**
 * The key a `kid` had when a record was written: in the snapshot whose seq the record names, else in
 * any snapshot, newest first (a record written while a refresh was swapping snapshots, or a key
 * listed only later).
 */
export function keyAt(keys: SnapshotKeys, kid: string, registrySeq: string | null): { key: IndexedKey; seq: number } | null {
  const named = registrySeq === null ? undefined : keys.byseq.get(Number(registrySeq));
  const key = named?.keys.get(kid);
  if (named && key) return { key, seq: named.seq };
  const newestFirst = [...keys.byseq.values()].sort((a, b) => b.seq - a.seq);
  for (const index of newestFirst) {
    const k = index.keys.get(kid);
    if (k) return { key: k, seq: index.seq };
  }
  return null;
}

/** The seq a snapshot claims, read without trusting it: only to name a refused one. */
function unverifiedSeq(token: string): number | null {
  try {
    const claims = JSON.parse(fromUtf8(fromBase64url(token.split('.')[1] ?? ''))) as { seq?: unknown };
    return typeof claims.seq === 'number' ? claims.seq : null;
  } catch {
    return null;
  }
}
