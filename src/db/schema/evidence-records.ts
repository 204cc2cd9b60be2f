import { bigserial, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The evidence log: every signed request, response and receipt, append-only and hash-chained
 * (`hash` = SHA-256 over the record and `prevHash`), so a changed or removed record breaks the chain.
 * A trigger refuses UPDATE and DELETE. Each `chain` is its own hash chain, in seq order: `''` is the shared
 * one (appended under an advisory lock by any instance); a Node gateway process appends to a chain of its
 * own (a random id per start), with its head in memory and no lock.
 */
export const evidenceRecords = pgTable('evidence_records', {
  seq: bigserial({ mode: 'number' }).primaryKey(),
  chain: text().notNull().default(''),
  at: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  /** request_sent | response_received | request_received | response_sent */
  kind: text().notNull(),
  caseRef: text(),
  /** The other member of the exchange. */
  peer: text().notNull(),
  method: text().notNull(),
  path: text().notNull(),
  /** The compact JWS (Handshake-Request or Handshake-Response). */
  token: text().notNull(),
  /** base64url SHA-256 of the body the token covers (its `cdg`). */
  bodyDigest: text().notNull(),
  /** The body itself, base64, when it is small enough to keep here (case material lives with the case). */
  body: text(),
  /** The registry snapshot in force (its seq), for offline verification bundles. */
  registrySeq: text(),
  prevHash: text().notNull(),
  hash: text().notNull().unique(),
}, (t) => [index('evidence_records_case_idx').on(t.caseRef), index('evidence_records_chain_idx').on(t.chain, t.seq)]);
