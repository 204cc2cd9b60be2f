import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { clerks } from '../../db/schema/index';
import { toClerk, type Clerk } from './schema';
import { hashClerkToken, isClerkTokenShape } from './token';

export type ClerkAuthentication = { ok: true; clerk: Clerk } | { ok: false; reason: 'unknown' | 'revoked' };

/**
 * The clerk a bearer token belongs to. The token is found by its SHA-256 through the unique index: no
 * secret is ever compared byte by byte, so the lookup's timing can tell an attacker at most something
 * about the hash of a guess, which brings no guess closer to a real token.
 */
export async function authenticateClerk({ ctx, input }: { ctx: { db: Db }; input: { token: string } }): Promise<ClerkAuthentication> {
  if (!isClerkTokenShape(input.token)) return { ok: false, reason: 'unknown' };
  const tokenHash = await hashClerkToken(input.token);
  const [row] = await ctx.db.select().from(clerks).where(eq(clerks.tokenHash, tokenHash)).limit(1);
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revokedAt) return { ok: false, reason: 'revoked' };
  return { ok: true, clerk: toClerk(row) };
}
