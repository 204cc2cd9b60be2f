import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { evidenceRecords } from '../../db/schema/index';
import { checkRecord, type CheckContext } from './check';
import { GENESIS_HASH, type EvidenceRecord } from './record';

export interface ChainReport {
  /** Records that verified, in seq order, before the first bad one (all of them when none is bad). */
  verified: number;
  head: { seq: number; hash: string } | null;
  firstBad: { seq: number; problem: string } | null;
}

const PAGE = 500;

/** The records of one chain (`''`: the shared one) in seq order, a page at a time. */
export async function* readChain(db: Db, chain = ''): AsyncGenerator<EvidenceRecord> {
  let after = 0;
  for (;;) {
    const page = await db.select().from(evidenceRecords).where(and(eq(evidenceRecords.chain, chain), gt(evidenceRecords.seq, after))).orderBy(asc(evidenceRecords.seq)).limit(PAGE);
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.seq;
  }
}

/**
 * Walks the whole chain: each record checked on its own (checkRecord) and linked to the one before
 * (`prevHash` = its hash; the first links to GENESIS_HASH). Stops at the first bad record. Gaps in seq
 * are not errors (a rolled-back append leaves one); what is removed or reordered breaks a link.
 */
export async function verifyChain(records: AsyncIterable<EvidenceRecord>, ctx: CheckContext): Promise<ChainReport> {
  let prev: EvidenceRecord | null = null;
  let verified = 0;
  for await (const r of records) {
    const expected = prev?.hash ?? GENESIS_HASH;
    if (r.prevHash !== expected) {
      const problem = prev ? `prevHash does not link to the hash of record ${prev.seq} (a record before it was changed, removed or inserted)` : 'prevHash of the first record is not the genesis hash (records before it are missing)';
      return { verified, head: head(prev), firstBad: { seq: r.seq, problem } };
    }
    const result = await checkRecord(r, ctx);
    if (!result.ok) return { verified, head: head(prev), firstBad: { seq: r.seq, problem: result.problem } };
    verified++;
    prev = r;
  }
  return { verified, head: head(prev), firstBad: null };
}

const head = (r: EvidenceRecord | null) => (r ? { seq: r.seq, hash: r.hash } : null);

export interface ChainsReport {
  chains: (ChainReport & { chain: string })[];
  verified: number;
  /** The first chain with a bad record, if any. */
  firstBad: (ChainReport['firstBad'] & { chain: string }) | null;
}

/** Every chain of the log, oldest first (by its first seq), each walked by verifyChain. */
export async function verifyChains(db: Db, ctx: CheckContext): Promise<ChainsReport> {
  const chains = await db.select({ chain: evidenceRecords.chain }).from(evidenceRecords).groupBy(evidenceRecords.chain).orderBy(sql`min(${evidenceRecords.seq})`);
  const reports: ChainsReport['chains'] = [];
  for (const { chain } of chains) reports.push({ chain, ...(await verifyChain(readChain(db, chain), ctx)) });
  const bad = reports.find((r) => r.firstBad);
  return { chains: reports, verified: reports.reduce((n, r) => n + r.verified, 0), firstBad: bad ? { chain: bad.chain, ...bad.firstBad! } : null };
}
