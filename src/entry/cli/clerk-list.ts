import type { Clerk } from '../../services/clerks/schema';
import { listClerks } from '../../services/clerks/list-clerks';
import { EXIT, parseCommandArgs, runCommand, type CliIo } from './command';
import { resolveClerkMember } from './clerk-member';

const USAGE = `Usage: handshake clerk list [--window ID] [--active] [--json]

Lists this member's clerks, oldest first: id, name, role, window, created, revoked. Tokens are never
shown (only their hashes are kept, and those are not shown either).

Options:
  --window ID   only the clerks of this window
  --active      leave out revoked clerks
  --json        the records as JSON
  -h, --help    this text`;

const OPTIONS = { window: { type: 'string' }, active: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } as const;

/** `handshake clerk list`: the clerks, without tokens. */
export function clerkList(argv: string[], io: CliIo): Promise<number> {
  return runCommand('clerk list', USAGE, io, async () => {
    const { values } = parseCommandArgs(argv, OPTIONS);
    const { memberId, openDatabase } = await resolveClerkMember(io);
    const database = await openDatabase();
    try {
      const clerks = await listClerks({ ctx: { db: database.db }, input: { window: values.window, activeOnly: values.active } });
      if (values.json) {
        io.out(JSON.stringify({ member: memberId, clerks }, null, 2));
        return EXIT.ok;
      }
      if (!clerks.length) {
        io.err(`${memberId} has no clerks${values.window ? ` at ${values.window}` : ''} (add one with 'handshake clerk add')`);
        return EXIT.ok;
      }
      for (const line of table(clerks)) io.out(line);
      return EXIT.ok;
    } finally {
      await database.close();
    }
  });
}

function table(clerks: Clerk[]): string[] {
  const rows = clerks.map((k) => [k.id, k.name, k.role, k.window, k.createdAt.toISOString(), k.revokedAt?.toISOString() ?? '-']);
  const head = ['id', 'name', 'role', 'window', 'created', 'revoked'];
  // Names are mostly Chinese: two columns per character keep the table straight in a terminal.
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1), 0);
  const widths = head.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c]!))));
  const line = (r: string[]) => r.map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c]! - width(cell)))).join('  ');
  return [line(head), ...rows.map(line)];
}
