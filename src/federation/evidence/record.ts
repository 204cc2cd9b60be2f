import { hex, sha256, utf8 } from '../../lib/encoding';

export const EVIDENCE_KINDS = ['request_received', 'response_sent', 'request_sent', 'response_received'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** The `prevHash` of the first record of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Bodies up to this size are kept in the record (base64); larger ones only by their digest. */
export const MAX_KEPT_BODY = 256 * 1024;

/** One row of `evidence_records`, as the chain and the bundles carry it. */
export interface EvidenceRecord {
  seq: number;
  /** The hash chain the record belongs to (`''`: the shared one). Not hashed: a record moved to another chain breaks the links of both. */
  chain: string;
  at: Date;
  kind: string;
  caseRef: string | null;
  peer: string;
  method: string;
  path: string;
  token: string;
  bodyDigest: string;
  /** Standard base64 of the body, or null when it was over MAX_KEPT_BODY. */
  body: string | null;
  registrySeq: string | null;
  prevHash: string;
  hash: string;
}

/**
 * The canonical form a record's `hash` is taken over (version `handshake-evidence/1`): the UTF-8 bytes
 * of the JSON array
 *
 *   ["handshake-evidence/1", seq, at, kind, caseRef, peer, method, path, token, bodyDigest, bodyKept,
 *    registrySeq, prevHash]
 *
 * serialized as RFC 8785 (JCS) does, which for these values is ECMAScript `JSON.stringify`: no
 * whitespace, strings with minimal escaping. `seq` is an integer; `at` is ISO 8601 UTC with
 * milliseconds (`2025-01-02T03:04:05.678Z`); `caseRef` and `registrySeq` (the column's text) are
 * strings or null; `bodyKept` is true when the body is kept in the record. The body enters through
 * `bodyDigest` (base64url SHA-256, the token's `cdg`), so a bundle may leave bodies out and still
 * verify, and a kept body is checked against the digest. `hash` is lower-case hex SHA-256 of those bytes.
 */
export function canonicalRecord(r: Omit<EvidenceRecord, 'hash' | 'chain'>): string {
  return JSON.stringify([
    'handshake-evidence/1', r.seq, r.at.toISOString(), r.kind, r.caseRef, r.peer, r.method, r.path,
    r.token, r.bodyDigest, r.body !== null, r.registrySeq, r.prevHash,
  ]);
}

export async function recordHash(r: Omit<EvidenceRecord, 'hash' | 'chain'>, digest: (data: Uint8Array) => Promise<Uint8Array> = sha256): Promise<string> {
  return hex(await digest(utf8(canonicalRecord(r))));
}
