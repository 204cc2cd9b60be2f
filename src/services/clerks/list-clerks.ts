import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { clerks } from '../../db/schema/index';
import { toClerk, type Clerk } from './schema';

/** The clerks, oldest first; revoked ones too unless `activeOnly`. Never their token hashes. */
export async function listClerks({ ctx, input = {} }: {
  ctx: { db: Db };
  input?: { window?: string; activeOnly?: boolean };
}): Promise<Clerk[]> {
  const where: SQL[] = [];
  if (input.window !== undefined) where.push(eq(clerks.window, input.window));
  if (input.activeOnly) where.push(isNull(clerks.revokedAt));
  const rows = await ctx.db.select().from(clerks).where(and(...where)).orderBy(asc(clerks.createdAt), asc(clerks.id));
  return rows.map(toClerk);
}
