import { z } from 'zod';
import type { clerks } from '../../db/schema/index';
import { windowSchema } from '../partners/schema';

export const CLERK_ROLES = ['intake', 'handling', 'supervisor'] as const;
export type ClerkRole = (typeof CLERK_ROLES)[number];

/** A window id as partner files write it (`kuayu-1`). */
export const WINDOW_ID = windowSchema.shape.id;

/** What `clerk add` takes; the window is checked against the member's windows separately. */
export const newClerkSchema = z.object({
  name: z.string().trim().min(1, 'a name is required').max(100),
  window: WINDOW_ID,
  role: z.enum(CLERK_ROLES),
});

/** A clerk as stored, without its token hash: nothing outside these services ever sees the hash. */
export interface Clerk {
  id: string;
  name: string;
  window: string;
  role: ClerkRole;
  createdAt: Date;
  revokedAt: Date | null;
}

/** The authenticated clerk of a request (`c.var.clerk`): who, at which window, for which member. */
export interface ClerkIdentity {
  id: string;
  name: string;
  window: string;
  role: ClerkRole;
  member: string;
}

const isRole = (role: string): role is ClerkRole => (CLERK_ROLES as readonly string[]).includes(role);

export function toClerk(row: typeof clerks.$inferSelect): Clerk {
  // The table takes any text; a role written around these services is a fault, not a permission.
  if (!isRole(row.role)) throw new Error(`clerk ${row.id} has an unknown role ${JSON.stringify(row.role)}`);
  return { id: row.id, name: row.name, window: row.window, role: row.role, createdAt: row.createdAt, revokedAt: row.revokedAt };
}
