/** When to stop calling a member that keeps failing, and for how long. */
export interface CircuitPolicy {
  /** Consecutive retryable failures that open the circuit. */
  threshold: number;
  cooldownMs: number;
}

export const defaultCircuitPolicy: CircuitPolicy = { threshold: 5, cooldownMs: 30_000 };

export type CircuitState = 'closed' | 'open' | 'half_open';

type Admission = { admitted: true } | { admitted: false; until: number };

interface Circuit {
  failures: number;
  /** open: until when no attempt is made; half_open: when the probe started. */
  openUntil: number;
  probeStartedAt: number | null;
}

/**
 * One circuit per member, in this instance's memory (instances sharing a database each learn on
 * their own). Closed: every message goes. Open: none go until the cooldown ends. Then half-open: one
 * probe goes; its success closes the circuit, its failure opens it again. A probe that never reports
 * (its worker crashed) is given up after a cooldown, and another may go.
 */
export class Circuits {
  private readonly byMember = new Map<string, Circuit>();

  constructor(private readonly policy: CircuitPolicy) {}

  admit(member: string, now: number): Admission {
    const c = this.byMember.get(member);
    if (!c || c.failures < this.policy.threshold) return { admitted: true };
    if (now < c.openUntil) return { admitted: false, until: c.openUntil };
    if (c.probeStartedAt !== null && now < c.probeStartedAt + this.policy.cooldownMs) {
      return { admitted: false, until: c.probeStartedAt + this.policy.cooldownMs };
    }
    c.probeStartedAt = now;
    return { admitted: true };
  }

  /** The member answered. Returns true when this closed an open or half-open circuit. */
  succeeded(member: string): boolean {
    const c = this.byMember.get(member);
    this.byMember.delete(member);
    return !!c && c.failures >= this.policy.threshold;
  }

  failed(member: string, now: number): void {
    const c = this.byMember.get(member) ?? { failures: 0, openUntil: 0, probeStartedAt: null };
    c.failures += 1;
    const probing = c.probeStartedAt !== null;
    if (c.failures === this.policy.threshold || probing) {
      c.openUntil = now + this.policy.cooldownMs;
      c.probeStartedAt = null;
    }
    this.byMember.set(member, c);
  }

  state(member: string, now: number): CircuitState {
    const c = this.byMember.get(member);
    if (!c || c.failures < this.policy.threshold) return 'closed';
    return now < c.openUntil ? 'open' : 'half_open';
  }

  /** Members whose circuit is not closed, for supervisors. */
  snapshot(now: number): { member: string; state: CircuitState; failures: number; openUntil: number }[] {
    return [...this.byMember.entries()]
      .filter(([, c]) => c.failures >= this.policy.threshold)
      .map(([member, c]) => ({ member, state: this.state(member, now), failures: c.failures, openUntil: c.openUntil }));
  }
}
