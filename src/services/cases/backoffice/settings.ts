import type { Random } from '../../../federation/outbox/policy';

/** How the back-office worker paces itself; values, so each deployment or test picks its own. */
export interface BackOfficeSettings {
  /** Between two status polls of a case (HANDSHAKE_BACKOFFICE_POLL_SECONDS); callbacks make polls a backstop. */
  pollMs: number;
  /** How long a claim holds: longer than any adapter call (the partner file's timeoutMs, a token refresh included). */
  leaseMs: number;
  /** Backoff after a retryable failure: full jitter under min(cap, base * 2^(attempts-1)). */
  retry: { baseMs: number; capMs: number };
  random: Random;
}

export const DEFAULT_BACKOFFICE_SETTINGS: BackOfficeSettings = {
  pollMs: 60_000, leaseMs: 5 * 60_000, retry: { baseMs: 5_000, capMs: 15 * 60_000 }, random: Math.random,
};

export const backOfficeSettings = (s: Partial<BackOfficeSettings> = {}): BackOfficeSettings => ({ ...DEFAULT_BACKOFFICE_SETTINGS, ...s });
