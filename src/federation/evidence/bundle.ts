import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import type { JWK } from 'jose';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { evidenceRecords } from '../../db/schema/index';
import type { JwsEngine } from '../engine';
import { publicPart, thumbprint } from '../keys';
import type { AnchorKeys } from '../registry/verify';
import { checkRecord, isSealedBody, openBody, tokenClaims } from './check';
import type { EvidenceRecord } from './record';
import { verifySnapshots, type SnapshotKeys } from './snapshots';

export const BUNDLE_FORMAT = 'handshake-evidence-bundle/1';

const recordSchema = z.object({
  seq: z.number().int().positive(), chain: z.string().default(''), at: z.iso.datetime().transform((s) => new Date(s)), kind: z.string(),
  caseRef: z.string().nullable(), peer: z.string(), method: z.string(), path: z.string(), token: z.string(),
  bodyDigest: z.string(), body: z.string().nullable(), registrySeq: z.string().nullable(),
  prevHash: z.string(), hash: z.string(),
});

export const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  /** The member whose evidence log this comes from. */
  member: z.string().nullable(),
  caseRef: z.string(),
  exportedAt: z.iso.datetime(),
  /** The anchor keys the exporter verified the snapshots with (public JWKs). */
  anchorJwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }),
  /** Every registry snapshot (compact JWS) a record's key comes from. */
  snapshots: z.array(z.string()),
  /** The case's records, seq ascending; not contiguous, so each is checked on its own hash and prevHash. */
  records: z.array(recordSchema),
});

export type EvidenceBundle = z.input<typeof bundleSchema>;

export class BundleRefused extends Error {
  override name = 'BundleRefused';
}

export interface ExportOptions {
  db: Db;
  caseRef: string;
  anchors: AnchorKeys;
  /** Snapshots checked against `anchors` (verifySnapshots over storedSnapshots). */
  keys: SnapshotKeys;
  engine: JwsEngine;
  self: string | null;
  now: Date;
  /** Opens sealed bodies, so that the bundle verifies offline without the key; without it they stay sealed. */
  open?: (sealed: string) => Promise<string>;
}

/**
 * A self-contained bundle of a case: its records, and the other half of each exchange they belong to
 * (a request recorded before its handler knew the case, paired with its response by `rqj`), the
 * snapshots their keys come from and the anchor keys. Refuses when a record does not verify.
 */
export async function exportCase(o: ExportOptions): Promise<EvidenceBundle> {
  const own = await o.db.select().from(evidenceRecords).where(eq(evidenceRecords.caseRef, o.caseRef)).orderBy(asc(evidenceRecords.seq));
  const bySeq = new Map(own.map((r) => [r.seq, r]));
  for (const r of own) {
    const other = await counterpart(o.db, r);
    if (other) bySeq.set(other.seq, other);
  }
  const records = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const used = new Set<number>();
  for (const r of records) {
    const result = await checkRecord(r, { keys: o.keys, engine: o.engine, self: o.self ?? undefined, open: o.open });
    if (!result.ok) throw new BundleRefused(`record ${r.seq} does not verify: ${result.problem}`);
    used.add(result.snapshotSeq);
  }
  return {
    format: BUNDLE_FORMAT, member: o.self, caseRef: o.caseRef, exportedAt: o.now.toISOString(),
    anchorJwks: { keys: o.anchors.keys.map((k) => ({ ...publicPart(k), ...(k.kid ? { kid: k.kid } : {}) })) as Record<string, unknown>[] },
    snapshots: [...used].sort((a, b) => a - b).map((seq) => o.keys.byseq.get(seq)!.snapshot.token),
    records: await Promise.all(records.map(async (r) => ({ ...r, at: r.at.toISOString(), body: r.body !== null && isSealedBody(r.body) ? ((await openBody(r.body, o.open)) ?? r.body) : r.body }))),
  };
}

const PAIR_WINDOW = 200;

/** The request a response answers (its `rqj`), or the response to a request, among nearby records. */
async function counterpart(db: Db, r: EvidenceRecord): Promise<EvidenceRecord | null> {
  const claims = tokenClaims(r.token);
  const pairs: Record<string, string> = { response_sent: 'request_received', response_received: 'request_sent', request_received: 'response_sent', request_sent: 'response_received' };
  const kind = pairs[r.kind];
  if (!claims || !kind) return null;
  const isResponse = r.kind.startsWith('response');
  const same = and(eq(evidenceRecords.kind, kind), eq(evidenceRecords.peer, r.peer), eq(evidenceRecords.method, r.method), eq(evidenceRecords.path, r.path));
  const near = await db.select().from(evidenceRecords)
    .where(and(same, isResponse ? lt(evidenceRecords.seq, r.seq) : gt(evidenceRecords.seq, r.seq)))
    .orderBy(isResponse ? desc(evidenceRecords.seq) : asc(evidenceRecords.seq)).limit(PAIR_WINDOW);
  return near.find((n) => (isResponse ? tokenClaims(n.token)?.jti === claims.rqj : tokenClaims(n.token)?.rqj === claims.jti)) ?? null;
}

export interface BundleReport {
  anchors: 'pinned' | 'bundle';
  snapshots: number;
  records: number;
  firstBad: { seq: number; problem: string } | null;
}

/**
 * Verifies a bundle offline: every snapshot against the anchor keys (the pinned ones when given, else the
 * bundle's own), then each record on its own (hash over its fields and its prevHash, body, token).
 */
export async function verifyBundle(raw: unknown, o: { pinned: AnchorKeys | null; engine: JwsEngine; nowSec: number }): Promise<BundleReport> {
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) throw new BundleRefused(`not an evidence bundle: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  const bundle = parsed.data;
  const anchors = o.pinned ?? { keys: bundle.anchorJwks.keys as JWK[] };
  const which = o.pinned ? 'pinned' : 'bundle';
  for (const k of anchors.keys) {
    if ('d' in k) throw new BundleRefused(`the ${which} anchor keys contain a private key`);
    if (!k.kid || (await thumbprint(k).catch(() => null)) !== k.kid) throw new BundleRefused(`an anchor key of the ${which} JWKS has a kid that is not its RFC 7638 thumbprint`);
  }
  const keys = await verifySnapshots(bundle.snapshots, anchors, o.nowSec);
  const refused = keys.refused[0];
  if (refused) throw new BundleRefused(`registry snapshot ${refused.seq ?? '?'} does not verify with the ${which} anchor keys: ${refused.reason}`);
  const seqs = bundle.records.map((r) => r.seq);
  if (seqs.some((s, i) => i > 0 && s <= seqs[i - 1]!)) throw new BundleRefused('records are not in strictly increasing seq order');
  for (const r of bundle.records) {
    const result = await checkRecord(r, { keys, engine: o.engine, self: bundle.member ?? undefined });
    if (!result.ok) return { anchors: which, snapshots: keys.byseq.size, records: bundle.records.length, firstBad: { seq: r.seq, problem: result.problem } };
  }
  return { anchors: which, snapshots: keys.byseq.size, records: bundle.records.length, firstBad: null };
}
