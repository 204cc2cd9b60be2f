import type { Clock } from '../src/lib/clock';
import type { FetchLike } from '../src/lib/http';
import type { Logger } from '../src/lib/logger';
import type { PartnerConfig, ItemMapping } from '../src/services/partners/schema';

/** The states a back office reports, in the alliance's words (PROTOCOL.md §7.2 events). */
export const PARTNER_STATES = [
  'received', 'accepted', 'rejected', 'supplement_requested', 'approved', 'denied',
  'result_issued', 'shipped', 'delivered', 'returned', 'withdrawn', 'closed',
] as const;
export type PartnerState = (typeof PARTNER_STATES)[number];

export interface CaseMaterial {
  /** The catalog material id this satisfies. */
  requirement: string;
  name: string;
  mediaType: string;
  size: number;
  /** Hex SHA-256 of the content. */
  sha256: string;
  content: Uint8Array;
}

/** A case as the gateway hands it to a back office: the alliance's fields, before the partner's mapping. */
export interface CaseSubmission {
  /** The gateway's reference for the case; the partner echoes it in callbacks. */
  caseRef: string;
  itemCode: string;
  mode: 'online' | 'proxy_intake' | 'joint';
  applicant: { kind: 'person' | 'organization'; name: string; idType: string; idNumber: string; phone?: string };
  intake: { member: string; window: string; clerk: string; receivedAt: string };
  materials: CaseMaterial[];
  form?: Record<string, unknown>;
  delivery: { method: 'window' | 'post' | 'electronic'; address?: string };
}

export interface SubmitResult {
  /** The back office's own id for the case. */
  partnerRef: string;
  state: PartnerState;
  at: string;
}

export interface StatusReport {
  partnerRef: string;
  state: PartnerState;
  at: string;
  note?: string;
  /** Event details in §7.2 terms (e.g. `documentNo`, `carrier`, `trackingNo`, `items`, `deadline`). */
  data?: Record<string, unknown>;
}

/** A verified callback from the back office, already mapped to the alliance's states. */
export interface CallbackEvent extends StatusReport {
  /** The partner's id for this notification, for deduplication. */
  eventId: string;
  caseRef?: string;
}

export interface RawCallback {
  headers: Headers;
  /** The exact bytes received: signatures are checked over them. */
  body: Uint8Array;
}

export type AdapterErrorKind =
  | 'rejected' // the partner refused the request (4xx with a reason): final
  | 'not_found' // unknown case or service at the partner: final
  | 'auth' // credentials refused, even after a token refresh
  | 'unavailable' // 5xx, connection refused or reset: retryable
  | 'timeout' // no answer in time: retryable
  | 'bad_response' // an answer that does not match the partner's documented shape
  | 'bad_callback' // a callback whose signature or shape is wrong
  | 'unmapped'; // an item or a status the partner file does not map

/** The one error type adapters throw; never a raw fetch or parse error. */
export class AdapterError extends Error {
  constructor(readonly kind: AdapterErrorKind, message: string, readonly retryable = kind === 'unavailable' || kind === 'timeout', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AdapterError';
  }
}

export interface AdapterContext {
  partner: PartnerConfig;
  fetch: FetchLike;
  clock: Clock;
  logger: Logger;
  /** Reads a secret by the environment variable name the partner file gives; undefined when unset. */
  secret(name: string): string | undefined;
}

/**
 * One partner back office behind one interface. Implementations live in `adapters/<api>/`: pure
 * mapping in mapping.ts, HTTP in client.ts, the partner's response shapes in schema.ts.
 * @example
 * const adapter = createAdapter(ctx); // from adapters/registry.ts
 * const { partnerRef } = await adapter.submitCase(submission);
 * const report = await adapter.queryStatus(partnerRef);
 * await adapter.provideSupplement(partnerRef, [material], '补正材料');
 */
export interface PartnerAdapter {
  readonly name: string;
  submitCase(input: CaseSubmission): Promise<SubmitResult>;
  queryStatus(partnerRef: string): Promise<StatusReport>;
  withdraw(partnerRef: string, reason: string): Promise<void>;
  /**
   * Passes the supplements (补正材料) the applicant provided to a case waiting for them. The partner
   * moves the case back under review; a case not waiting for supplements is refused ('rejected').
   * Sending the same supplement again is answered as a success, so a retry after a lost answer is safe.
   */
  provideSupplement(partnerRef: string, materials: CaseMaterial[], note?: string): Promise<void>;
  /** Verifies and maps a callback; throws AdapterError('bad_callback') for a bad signature or shape. Polling-only partners throw it always. */
  parseCallback(raw: RawCallback): Promise<CallbackEvent[]>;
  health(): Promise<{ ok: boolean; latencyMs: number; detail?: string }>;
}

export interface AdapterFactory {
  /** Checks the adapter's own `options` in the partner file: one `field: reason` per problem, none when valid. */
  validateOptions(options: unknown): string[];
  /** The fields an item mapping must map for this adapter (coverage check). */
  requiredFields(mapping: ItemMapping): string[];
  create(ctx: AdapterContext): PartnerAdapter;
}
