import { z } from 'zod';
import { MEMBER_ID } from '../registry/schema';

export const REQUEST_TYP = 'handshake-req+jwt';
export const RESPONSE_TYP = 'handshake-resp+jwt';
export const MAX_LIFETIME = 120;
export const CLOCK_TOLERANCE = 30;
export const MAX_HEADER_BYTES = 8 * 1024;
export const SIGNING_ALGS = ['Ed25519', 'EdDSA', 'ES256'] as const;

const member = z.string().regex(MEMBER_ID);
const seconds = z.number().int().nonnegative();
/** At least 128 random bits: 22 base64url characters. */
const jti = z.string().regex(/^[A-Za-z0-9_-]{22,256}$/);
const digest = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

const common = {
  iss: member,
  aud: member,
  iat: seconds,
  exp: seconds,
  jti,
  cdg: digest,
};

export const requestClaimsSchema = z.object({
  ...common,
  htm: z.string().regex(/^[A-Z]{1,16}$/),
  htu: z.string().min(1).max(4096),
}).refine((c) => c.exp > c.iat && c.exp - c.iat <= MAX_LIFETIME, 'exp - iat must be within 1..120 s');

export const responseClaimsSchema = z.object({
  ...common,
  rqj: jti,
  hts: z.number().int().min(100).max(599),
}).refine((c) => c.exp > c.iat && c.exp - c.iat <= MAX_LIFETIME, 'exp - iat must be within 1..120 s');

export type RequestClaims = z.infer<typeof requestClaimsSchema>;
export type ResponseClaims = z.infer<typeof responseClaimsSchema>;
