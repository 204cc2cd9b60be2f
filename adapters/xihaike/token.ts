import type { Clock } from '../../src/lib/clock';

export interface IssuedToken {
  token: string;
  /** Lifetime in seconds, as the token endpoint says. */
  expiresIn: number;
}

/**
 * Caches an OAuth2 access token and renews it `earlyMs` before it expires (at most half-way through a
 * short lifetime). One renewal at a time: concurrent callers share the request in flight.
 */
export function createTokenCache(issue: () => Promise<IssuedToken>, clock: Clock, earlyMs: number) {
  let current: { token: string; renewAt: number } | null = null;
  let pending: Promise<string> | null = null;

  function renew(): Promise<string> {
    const started = clock.now();
    return issue().then(({ token, expiresIn }) => {
      const lifetime = expiresIn * 1000;
      current = { token, renewAt: started + Math.max(lifetime - earlyMs, lifetime / 2) };
      return token;
    });
  }

  return {
    get(): Promise<string> {
      if (current && clock.now() < current.renewAt) return Promise.resolve(current.token);
      // Every caller awaits this very promise, so a failed renewal rejects for them and never goes unhandled.
      pending ??= renew().finally(() => { pending = null; });
      return pending;
    },
    /** Forgets `token` after the back office refused it; a token renewed meanwhile is kept. */
    invalidate(token: string) {
      if (current?.token === token) current = null;
    },
  };
}
