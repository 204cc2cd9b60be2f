import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { Clock } from '../../lib/clock';
import { base64 } from '../../lib/encoding';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { Sealer } from '../../lib/sealed';
import { bodyDigest, type JwsEngine } from '../engine';
import { rowsOf } from '../replay-guard';
import { GENESIS_HASH, MAX_KEPT_BODY, recordHash, type EvidenceKind, type EvidenceRecord } from './record';

/** One signed message to keep: the exact token and body bytes that went over the wire. */
export interface EvidenceEntry {
  kind: EvidenceKind;
  /** The other member of the exchange. */
  peer: string;
  method: string;
  /** Path and `?query` of the request (for a response: of the request it answers). */
  path: string;
  /** The compact JWS: Handshake-Request or Handshake-Response. */
  token: string;
  body: Uint8Array;
  caseRef?: string | null;
}

/**
 * The evidence port: appends a record to the hash chain, or throws (an AppError
 * `upstream_unavailable`) when it cannot; callers then refuse to go on unproven.
 * @example await evidence.record({ kind: 'request_received', peer: 'xihaike', method: 'POST', path: '/federation/v1/cases', token, body });
 */
export interface EvidenceLog {
  record(entry: EvidenceEntry): Promise<Pick<EvidenceRecord, 'seq' | 'hash'>>;
}

export interface DbEvidenceLogOptions {
  db: Db;
  engine: JwsEngine;
  clock: Clock;
  /** The registry seq in force, written with each record for offline verification. */
  registrySeq(): number | null;
  logger: Logger;
  /**
   * Seals kept bodies (they carry personal data: a transfer's ID number). The chain covers the body
   * through its digest, not its bytes, so a sealed body verifies like a clear one once opened.
   */
  sealer?: Sealer;
  /**
   * A chain of this log's own: a fresh id no other writer uses (one per process start). Its head stays
   * in memory, so an append is one insert, with no lock and no read. Absent: the shared chain `''`,
   * appended under EVIDENCE_LOCK (Workers, whose isolates come and go, and anything short-lived).
   */
  chain?: string;
}

/** Every instance appending to the shared chain takes this lock, so that chain has one head. */
export const EVIDENCE_LOCK = 727_004;
const MAX_BATCH = 200;
/** Kept bodies are up to 256 KiB each: a batch stops growing past this many bytes of them. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** Seqs an own chain takes from the sequence at a time (one round trip per this many records). */
const SEQ_BLOCK = 64;

type Row = Omit<EvidenceRecord, 'seq' | 'prevHash' | 'hash'>;
type Digest = (data: Uint8Array) => Promise<Uint8Array>;

interface Pending {
  row: Row;
  resolve(r: Pick<EvidenceRecord, 'seq' | 'hash'>): void;
  reject(e: unknown): void;
}

/**
 * The evidence log on PostgreSQL. Entries that arrive while an append is in flight go together in the
 * next one, so under load a batch costs what one record does. On the shared chain an append is one
 * transaction holding `pg_advisory_xact_lock`: read the head's hash, take the next seqs, insert. On an
 * own chain it is one insert.
 */
export function dbEvidenceLog(opts: DbEvidenceLogOptions): EvidenceLog {
  const queue: Pending[] = [];
  let flushing = false;
  const digest: Digest = (data) => opts.engine.sha256(data);
  const append = opts.chain ? ownChain(opts.db, opts.chain, digest) : (rows: Row[]) => appendShared(opts.db, rows, digest);

  async function flush(): Promise<void> {
    flushing = true;
    while (queue.length) {
      const batch = queue.splice(0, batchSize(queue));
      try {
        const rows = await append(batch.map((p) => p.row));
        batch.forEach((p, i) => p.resolve(rows[i]!));
      } catch (e) {
        opts.logger.error({ err: e, records: batch.length, alert: 'evidence_unavailable' }, 'evidence records could not be written');
        const refused = new AppError('upstream_unavailable', 'the evidence log cannot be written; retry later', { cause: e });
        for (const p of batch) p.reject(refused);
      }
    }
    flushing = false;
  }

  return {
    async record(entry) {
      const row: Row = {
        chain: opts.chain ?? '', at: new Date(opts.clock.now()), kind: entry.kind, caseRef: entry.caseRef ?? null, peer: entry.peer,
        method: entry.method, path: entry.path, token: entry.token,
        bodyDigest: await bodyDigest(opts.engine, entry.body),
        body: entry.body.byteLength <= MAX_KEPT_BODY ? await keptBody(entry.body, opts.sealer) : null,
        registrySeq: seqText(opts.registrySeq()),
      };
      return new Promise((resolve, reject) => {
        queue.push({ row, resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}

/** How many queued entries go in the next transaction: at least one, at most MAX_BATCH or MAX_BATCH_BYTES. */
function batchSize(queue: Pending[]): number {
  let bytes = 0;
  for (let n = 0; n < Math.min(queue.length, MAX_BATCH); n++) {
    bytes += queue[n]!.row.body?.length ?? 0;
    if (bytes > MAX_BATCH_BYTES) return Math.max(1, n);
  }
  return Math.min(queue.length, MAX_BATCH);
}

/** A kept body: base64, or sealed (`v1.` + AES-GCM of the base64, see lib/sealed.ts) when there is a data key. */
async function keptBody(body: Uint8Array, sealer: Sealer | undefined): Promise<string> {
  return sealer ? sealer.seal(base64(body)) : base64(body);
}

const seqText = (seq: number | null) => (seq === null ? null : String(seq));

/** `n` seqs from the table's sequence, as one array (increasing; a batch that is not inserted leaves a gap). */
const nextSeqs = (n: number) => sql`array(select nextval(pg_get_serial_sequence('evidence_records', 'seq')) from generate_series(1, ${n}))`;

/** The rows linked after `prevHash`, with their seqs. */
async function link(rows: Row[], seqs: number[], prevHash: string, digest: Digest): Promise<EvidenceRecord[]> {
  const records: EvidenceRecord[] = [];
  for (const [i, row] of rows.entries()) {
    const unhashed = { ...row, seq: seqs[i]!, prevHash };
    const record = { ...unhashed, hash: await recordHash(unhashed, digest) };
    records.push(record);
    prevHash = record.hash;
  }
  return records;
}

/** The shared chain `''`: one transaction under EVIDENCE_LOCK per batch. */
async function appendShared(db: Db, rows: Row[], digest: Digest): Promise<EvidenceRecord[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${EVIDENCE_LOCK})`);
    // Under the lock, in one round trip: the head's hash and the next seqs (seq order is chain order;
    // a rolled-back batch leaves a gap, never a fork).
    const [next] = rowsOf<{ head: string | null; seqs: (string | number)[] | string }>(await tx.execute(sql`
      select (select hash from evidence_records where chain = '' order by seq desc limit 1) as head, ${nextSeqs(rows.length)} as seqs`));
    const records = await link(rows, parseSeqs(next!.seqs), next!.head ?? GENESIS_HASH, digest);
    await insertRecords(tx, records);
    return records;
  });
}

/**
 * A chain only this log writes: the head in memory, seqs taken from the sequence SEQ_BLOCK at a time
 * (increasing, so seq order is still chain order), each batch one insert. When an insert fails its
 * outcome is not known (the commit may have happened before the connection broke), so the head is read
 * back from the database before the next batch: the chain goes on from what was really kept.
 */
function ownChain(db: Db, chain: string, digest: Digest) {
  let head: string | null = null;
  let seqs: number[] = [];
  return async (rows: Row[]): Promise<EvidenceRecord[]> => {
    try {
      if (head === null) {
        const [last] = rowsOf<{ hash: string }>(await db.execute(sql`select hash from evidence_records where chain = ${chain} order by seq desc limit 1`));
        head = last?.hash ?? GENESIS_HASH;
      }
      if (seqs.length < rows.length) {
        const [next] = rowsOf<{ seqs: (string | number)[] | string }>(await db.execute(sql`select ${nextSeqs(Math.max(SEQ_BLOCK, rows.length))} as seqs`));
        seqs = parseSeqs(next!.seqs);
      }
      const records = await link(rows, seqs.splice(0, rows.length), head, digest);
      await insertRecords(db, records);
      head = records.at(-1)!.hash;
      return records;
    } catch (e) {
      head = null;
      throw e;
    }
  };
}

/**
 * A batch in one statement with one parameter, the rows as JSON, rather than drizzle's insert builder
 * walking 14 columns per record: 318-368 -> 199-216 µs of CPU per appended record (drizzle's share of a
 * signed exchange's busy CPU, 12% -> 7% in the profile).
 */
async function insertRecords(db: Db, records: EvidenceRecord[]): Promise<void> {
  const rows = JSON.stringify(records.map((r) => ({
    seq: r.seq, chain: r.chain, at: r.at.toISOString(), kind: r.kind, case_ref: r.caseRef, peer: r.peer, method: r.method, path: r.path,
    token: r.token, body_digest: r.bodyDigest, body: r.body, registry_seq: r.registrySeq, prev_hash: r.prevHash, hash: r.hash,
  })));
  await db.execute(sql`
    insert into evidence_records (seq, chain, at, kind, case_ref, peer, method, path, token, body_digest, body, registry_seq, prev_hash, hash)
    select seq, chain, at, kind, case_ref, peer, method, path, token, body_digest, body, registry_seq, prev_hash, hash
    from json_to_recordset(${rows}::json) as r(seq bigint, chain text, at timestamptz, kind text, case_ref text, peer text, method text,
      path text, token text, body_digest text, body text, registry_seq text, prev_hash text, hash text)`);
}

/** A bigint[] as the drivers return it: an array (postgres.js, PGlite) or its text form `{1,2}`. */
function parseSeqs(v: (string | number)[] | string): number[] {
  const list = Array.isArray(v) ? v : v.replace(/[{}]/g, '').split(',').filter(Boolean);
  return list.map(Number).sort((a, b) => a - b);
}
