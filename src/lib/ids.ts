import { base64url } from './encoding';

/** Random identifiers; injected so tests can make them predictable. */
export interface Ids {
  /** A `jti`: 128 random bits, base64url (22 characters). */
  jti(): string;
  /** A prefixed id such as `rq_...`. */
  make(prefix: string): string;
}

const POOL_SIZE = 4096;
let pool = new Uint8Array(0);
let offset = 0;

/** Random bytes from a refilled pool: one getRandomValues call serves hundreds of ids. */
function random(n: number): Uint8Array {
  if (offset + n > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_SIZE));
    offset = 0;
  }
  const out = pool.subarray(offset, offset + n);
  offset += n;
  return out;
}

export const randomIds: Ids = {
  jti: () => base64url(random(16)),
  make: (prefix) => `${prefix}_${base64url(random(12))}`,
};
