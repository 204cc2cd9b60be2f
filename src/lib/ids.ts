import { base64url } from './encoding';

/** Random identifiers; injected so tests can make them predictable. */
export interface Ids {
  /** A `jti`: 128 random bits, base64url (22 characters). */
  jti(): string;
  /** A prefixed id such as `rq_...`. */
  make(prefix: string): string;
}

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

export const randomIds: Ids = {
  jti: () => base64url(random(16)),
  make: (prefix) => `${prefix}_${base64url(random(12))}`,
};
