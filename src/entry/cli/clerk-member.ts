import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { partnerSchema } from '../../services/partners/schema';
import { openDatabase } from '../node/database';
import { PARTNERS_DIR } from '../node/partners';
import { resolveCliMember } from './gateway-database';
import { readJsonFile, type CliIo } from './command';

/**
 * The member the clerk commands act for, found as `npm start` finds it (HANDSHAKE_MEMBER_ID, else the
 * local dev member), and a way to its database (DATABASE_URL, else its PGlite files: stop the gateway
 * first). Clerks belong to one member's database, so the member comes with it.
 */
export async function resolveClerkMember(io: CliIo) {
  const { config, member } = await resolveCliMember(io);
  return {
    memberId: member.memberId,
    partnersDir: config.partnersDir ?? PARTNERS_DIR,
    openDatabase: () => openDatabase({ databaseUrl: member.databaseUrl, pgliteDir: member.pgliteDir, maxConnections: 2 }),
  };
}

const windowsOnly = z.object({ member: partnerSchema.shape.member, windows: partnerSchema.shape.windows });

/** `<dir>/<member>.json`'s windows, or null when the member has no partner file. */
export function readMemberWindows(dir: string, memberId: string): { file: string; windows: z.infer<typeof windowsOnly>['windows'] } | null {
  const path = join(dir, `${memberId}.json`);
  if (!existsSync(path)) return null;
  const file = relative(process.cwd(), path) || path;
  const parsed = windowsOnly.safeParse(readJsonFile(path, 'partner file'));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'} ${i.message}`).join('; ')}`);
  if (parsed.data.member !== memberId) throw new Error(`${file}: is for member ${parsed.data.member}, not ${memberId}`);
  return { file, windows: parsed.data.windows };
}
