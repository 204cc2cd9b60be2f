import { z } from 'zod';

export const MEMBER_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const MODES = ['online', 'proxy_intake', 'joint'] as const;

const b64u = z.string().regex(/^[A-Za-z0-9_-]+$/);

export const registryKeySchema = z.object({
  kty: z.enum(['OKP', 'EC']),
  crv: z.enum(['Ed25519', 'P-256']),
  x: b64u,
  y: b64u.optional(),
  kid: b64u.length(43),
  alg: z.enum(['Ed25519', 'ES256']),
  use: z.literal('sig').optional(),
  status: z.enum(['active', 'retiring', 'revoked']),
  nbf: z.number().int().optional(),
  exp: z.number().int().optional(),
}).refine((k) => (k.alg === 'Ed25519' ? k.kty === 'OKP' && k.crv === 'Ed25519' && !k.y : k.kty === 'EC' && k.crv === 'P-256' && !!k.y), 'alg does not fit kty/crv');

export const registryMemberSchema = z.object({
  id: z.string().regex(MEMBER_ID),
  name: z.string().min(1),
  region: z.string().min(1),
  status: z.enum(['active', 'suspended']),
  endpoint: z.url({ protocol: /^https?$/ }),
  keys: z.array(registryKeySchema),
  items: z.array(z.object({ code: z.string().min(1), modes: z.array(z.enum(MODES)).min(1) })).optional(),
});

export const registryClaimsSchema = z.object({
  iss: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
  seq: z.number().int().nonnegative(),
  members: z.array(registryMemberSchema),
});

export type RegistryKey = z.infer<typeof registryKeySchema>;
export type RegistryMember = z.infer<typeof registryMemberSchema>;
export type RegistryClaims = z.infer<typeof registryClaimsSchema>;

/** Member data as the anchor writes it before signing: keys may omit `kid` and `alg` (computed). */
export const memberInputSchema = registryMemberSchema.extend({
  keys: z.array(z.object({
    kty: z.enum(['OKP', 'EC']), crv: z.enum(['Ed25519', 'P-256']), x: b64u, y: b64u.optional(),
    kid: b64u.optional(), alg: z.enum(['Ed25519', 'ES256']).optional(), use: z.literal('sig').optional(),
    status: z.enum(['active', 'retiring', 'revoked']).default('active'),
    nbf: z.number().int().optional(), exp: z.number().int().optional(),
  }).strict()).min(1),
});
export type MemberInput = z.input<typeof memberInputSchema>;
