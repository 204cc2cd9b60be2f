/**
 * How long the outbox keeps trying (§5): exponential backoff with full jitter, capped, until a horizon.
 * A value, not code, so each deployment or test picks its own.
 * @example nextAttempt(defaultRetryPolicy, { attempts: 3, createdAt: 0 }, 60_000, Math.random)
 */
export interface RetryPolicy {
  /** The ceiling of the first retry's delay. */
  baseMs: number;
  factor: number;
  /** No delay ceiling grows past this. */
  capMs: number;
  /** Counted from the message's creation: a retryable failure past it makes the message dead. */
  horizonMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { baseMs: 2_000, factor: 2, capMs: 15 * 60_000, horizonMs: 48 * 3600_000 };

/** A number in [0, 1): `Math.random` in production, a fixed sequence in tests. */
export type Random = () => number;

/** Full jitter: uniform in [0, min(cap, base * factor^(attempts-1))). */
export function backoffDelay(policy: RetryPolicy, attempts: number, random: Random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.max(0, attempts - 1));
  return Math.floor(random() * ceiling);
}

/**
 * After a retryable failure at `now`: when to try again, or `null` once the horizon has passed. The
 * last retry is never later than the horizon itself, so a message gets a final attempt right at it.
 */
export function nextAttempt(policy: RetryPolicy, message: { attempts: number; createdAt: number }, now: number, random: Random): number | null {
  const horizon = message.createdAt + policy.horizonMs;
  if (now >= horizon) return null;
  return Math.min(now + backoffDelay(policy, message.attempts, random), horizon);
}

/** `48 h`, `90 s`: for messages a supervisor reads. */
export function describeDuration(ms: number): string {
  if (ms % 3600_000 === 0) return `${ms / 3600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
