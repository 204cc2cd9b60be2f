import { base64url, hex, sha256 } from '../../lib/encoding';

/** The prefix makes a leaked token recognisable to secret scanners and in support tickets. */
export const TOKEN_PREFIX = 'hsk_';
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^hsk_[A-Za-z0-9_-]{43}$/;

export type RandomBytes = (n: number) => Uint8Array;
export const cryptoRandom: RandomBytes = (n) => crypto.getRandomValues(new Uint8Array(n));

/** `hsk_` and 32 random bytes, base64url (47 characters). */
export const newClerkToken = (random: RandomBytes = cryptoRandom): string => TOKEN_PREFIX + base64url(random(TOKEN_BYTES));

/** Whether a string could be a token we issued; anything else is refused without a query. */
export const isClerkTokenShape = (s: string): boolean => TOKEN_PATTERN.test(s);

/** What the table keeps: SHA-256 of the token, hex. 256 random bits need no salt or slow hash. */
export const hashClerkToken = async (token: string): Promise<string> => hex(await sha256(token));
