import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

/**
 * A cross-province case as one member holds it: `role` intake (taken at our window) or handling (sent
 * to us to decide). The applicant's ID number and phone are sealed (AES-GCM, HANDSHAKE_DATA_KEY); only
 * the masked ID number is kept in clear, for display.
 */
export const cases = pgTable('cases', {
  ref: text().primaryKey(),
  role: text().notNull(),
  intakeMember: text().notNull(),
  /** Null on the intake side until the transfer chooses the handling member. */
  handlingMember: text(),
  /** The intake member's own case number (§7.1 `caseId`). */
  intakeCaseId: text().notNull(),
  itemCode: text().notNull(),
  mode: text().notNull(),
  /** Joint handling (多地联办): this member's step and the joint case it belongs to. */
  step: text(),
  jointId: text(),
  /** Joint handling, intake side: the joint case (mode joint, with `jointPlan`) this step's transfer belongs to. */
  parentRef: text(),
  /** Joint handling, intake side, on the joint case: its steps `[{id, member, dependsOn[]}]` (services/cases/joint-plan.ts). */
  jointPlan: jsonb(),
  state: text().notNull(),
  /** The state machine's view of the case (services/cases/state-machine.ts CaseState). */
  stateDetail: jsonb(),
  /** On the intake side: the handling member's caseRef from its receipt, the `{ref}` of §7.2 paths. */
  remoteRef: text(),
  applicantKind: text().notNull(),
  applicantName: text().notNull(),
  applicantIdType: text().notNull(),
  applicantIdSealed: text().notNull(),
  applicantIdMasked: text().notNull(),
  applicantPhoneSealed: text(),
  intake: jsonb().notNull(),
  form: jsonb(),
  delivery: jsonb().notNull(),
  consent: jsonb().notNull(),
  /** §7.1 `materialsDigest`; null until the case is transferred. */
  materialsDigest: text(),
  receiptId: text(),
  /** Handling side with a back office (partners/<self>.json): its id for the case, and the last state it reported. */
  partnerRef: text(),
  partnerState: text(),
  /** When the back-office worker next submits (no partnerRef yet) or polls the case; null: nothing to do. */
  partnerNextAt: timestamp({ withTimezone: true, mode: 'date' }),
  partnerAttempts: integer().notNull().default(0),
  partnerError: text(),
  /** Clocks (services/calendar/sla.ts): the current hop's SLA and the item's promised deadline; pauses while 补正. */
  hopStartedAt: timestamp({ withTimezone: true, mode: 'date' }),
  hopDueAt: timestamp({ withTimezone: true, mode: 'date' }),
  deadlineAt: timestamp({ withTimezone: true, mode: 'date' }),
  pauses: jsonb(),
  receivedAt: timestamp({ withTimezone: true, mode: 'date' }),
  createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [
  // One transfer of an intake case (or of one of its joint steps) per handling member.
  unique('cases_transfer_uq').on(t.role, t.intakeMember, t.intakeCaseId, t.handlingMember, t.step).nullsNotDistinct(),
  index('cases_state_idx').on(t.state),
  index('cases_item_idx').on(t.itemCode),
  index('cases_partner_due_idx').on(t.partnerNextAt),
  index('cases_hop_due_idx').on(t.hopDueAt),
  index('cases_parent_idx').on(t.parentRef),
  // The clerks' case list, newest first, at a million cases (bench/cases-scale.ts): the order by, indexed
  // (scanned backwards: ascending NULLS LAST read backwards is the list's DESC NULLS FIRST).
  index('cases_created_idx').on(t.createdAt, t.ref),
  // Its text search: substrings of 3+ characters by trigram (pg_trgm), a short name by its beginning.
  index('cases_name_trgm_idx').using('gin', sql`${t.applicantName} gin_trgm_ops`),
  index('cases_case_id_trgm_idx').using('gin', sql`${t.intakeCaseId} gin_trgm_ops`),
  index('cases_ref_trgm_idx').using('gin', sql`${t.ref} gin_trgm_ops`),
  index('cases_name_prefix_idx').using('btree', sql`${t.applicantName} text_pattern_ops`),
  index('cases_case_id_idx').on(t.intakeCaseId),
]);
