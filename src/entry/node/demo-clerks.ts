import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Db } from '../../db/client';
import { systemClock } from '../../lib/clock';
import { randomIds } from '../../lib/ids';
import { addClerk } from '../../services/clerks/add-clerk';
import { authenticateClerk } from '../../services/clerks/authenticate-clerk';
import { CLERK_ROLES, type ClerkRole } from '../../services/clerks/schema';

/** The shell variable a clerk token is kept under: `GAOXIN_INTAKE_TOKEN`, `CHENGDU_GX_HANDLING_TOKEN`. */
export const tokenVariable = (member: string, role: ClerkRole) => `${member.toUpperCase().replaceAll('-', '_')}_${role.toUpperCase()}_TOKEN`;

export interface DemoMemberClerks {
  member: string;
  db: Db;
  /** The member's windows (its partner file), or null without one. */
  windows: readonly { id: string; name: string }[] | null;
}

const HEADER = `# cloud-handshake dev alliance: one clerk per role and member, made on first start (npm start).
# Bearer tokens for the clerk API; only their SHA-256 is in the databases. Keep this file private.
# In a shell:  . ./this-file   then   curl -H "authorization: Bearer $GAOXIN_INTAKE_TOKEN" ...
`;

/**
 * Makes sure every member has one clerk per role whose token is in `file` (0600): tokens that still
 * authenticate are kept, the others (first start, a database wiped) are replaced by new clerks. Returns
 * the members whose clerks were made now. Tokens go to the file only, never to the log or the terminal.
 */
export async function ensureDemoClerks(file: string, members: DemoMemberClerks[]): Promise<string[]> {
  const tokens = readTokens(file);
  const made: string[] = [];
  for (const m of members) {
    const window = m.windows?.[0]?.id ?? 'kuayu-1';
    for (const role of CLERK_ROLES) {
      const key = tokenVariable(m.member, role);
      const kept = tokens.get(key);
      if (kept && (await authenticateClerk({ ctx: { db: m.db }, input: { token: kept } })).ok) continue;
      const { token } = await addClerk({ ctx: { db: m.db, clock: systemClock, ids: randomIds }, input: { name: `demo ${role} (${m.member})`, window, role, windows: m.windows } });
      tokens.set(key, token);
      if (!made.includes(m.member)) made.push(m.member);
    }
  }
  if (made.length || !existsSync(file)) {
    writeFileSync(file, HEADER + [...tokens].map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return made;
}

function readTokens(file: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(\S+)$/.exec(line.trim());
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}
