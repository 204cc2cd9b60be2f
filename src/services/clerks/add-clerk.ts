import type { z } from 'zod';
import type { Db } from '../../db/client';
import { clerks } from '../../db/schema/index';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { Ids } from '../../lib/ids';
import { newClerkSchema, toClerk, type Clerk } from './schema';
import { hashClerkToken, newClerkToken, type RandomBytes } from './token';

export interface AddClerkInput {
  name: string;
  window: string;
  role: string;
  /** This member's windows (its partner file); null when it has none on file: any well-formed id is taken. */
  windows: readonly { id: string; name: string }[] | null;
}

/**
 * Adds a clerk and returns its bearer token, the only time it exists outside the clerk's hands: the
 * table keeps its SHA-256. Bad input is `invalid_request` naming each field.
 * @example const { clerk, token } = await addClerk({ ctx, input: { name: '张三', window: 'kuayu-1', role: 'intake', windows } })
 */
export async function addClerk({ ctx, input }: {
  ctx: { db: Db; clock: Clock; ids: Ids; random?: RandomBytes };
  input: AddClerkInput;
}): Promise<{ clerk: Clerk; token: string }> {
  const { name, window, role } = checkNewClerk(input);
  const token = newClerkToken(ctx.random);
  const [row] = await ctx.db.insert(clerks).values({
    id: ctx.ids.make('ck'), name, window, role, tokenHash: await hashClerkToken(token), createdAt: new Date(ctx.clock.now()),
  }).returning();
  return { clerk: toClerk(row!), token };
}

/** The checks of addClerk alone, so a CLI can refuse bad input before it opens the database. */
export function checkNewClerk(input: AddClerkInput): z.infer<typeof newClerkSchema> {
  const parsed = newClerkSchema.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('invalid_request', `the clerk is not valid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
  }
  const { window } = parsed.data;
  if (input.windows && !input.windows.some((w) => w.id === window)) {
    const known = input.windows.map((w) => `${w.id} (${w.name})`).join(', ') || 'none';
    const message = `not one of this member's windows: ${known}`;
    throw new AppError('invalid_request', `window ${window} is ${message}`, { errors: [{ path: 'window', message }] });
  }
  return parsed.data;
}
