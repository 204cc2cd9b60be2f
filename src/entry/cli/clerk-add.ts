import { systemClock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import { randomIds } from '../../lib/ids';
import { addClerk, checkNewClerk } from '../../services/clerks/add-clerk';
import { CLERK_ROLES } from '../../services/clerks/schema';
import { EXIT, parseCommandArgs, required, runCommand, UsageError, type CliIo } from './command';
import { readMemberWindows, resolveClerkMember } from './clerk-member';

const USAGE = `Usage: handshake clerk add --window ID --role ROLE --name NAME

Adds a clerk of this member and prints its bearer token on standard output, once: only its SHA-256 is
stored, so a lost token cannot be shown again (revoke the clerk and add another). The window must be
one of the member's windows in its partner file (partners/<member>.json, or HANDSHAKE_PARTNERS_DIR);
without that file any window id is taken, with a warning. Uses the gateway's database (DATABASE_URL,
or the embedded one under HANDSHAKE_DATA_DIR: stop the gateway first).

Options:
  --window ID    the clerk's window (e.g. kuayu-1)
  --role ROLE    ${CLERK_ROLES.join(', ')}
  --name NAME    the clerk's name
  -h, --help     this text`;

const OPTIONS = { window: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } } as const;

/** `handshake clerk add`: a new clerk and its token, shown this once. */
export function clerkAdd(argv: string[], io: CliIo): Promise<number> {
  return runCommand('clerk add', USAGE, io, async () => {
    const { values } = parseCommandArgs(argv, OPTIONS);
    const window = required(values.window, '--window ID');
    const role = required(values.role, `--role ${CLERK_ROLES.join('|')}`);
    const name = required(values.name, '--name NAME');
    const { memberId, partnersDir, openDatabase } = await resolveClerkMember(io);
    const onFile = readMemberWindows(partnersDir, memberId);
    if (!onFile) io.err(`warning: ${memberId} has no partner file in ${partnersDir}; window ${window} is not checked against its windows`);
    const input = { name, window, role, windows: onFile?.windows ?? null };
    try {
      checkNewClerk(input);
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_request') throw new UsageError((e.errors ?? []).map((f) => `--${f.path}: ${f.message}`).join('; ') || e.message);
      throw e;
    }
    const database = await openDatabase();
    try {
      const { clerk, token } = await addClerk({ ctx: { db: database.db, clock: systemClock, ids: randomIds }, input });
      io.err(`added clerk ${clerk.id}: ${clerk.name}, ${clerk.role} at ${clerk.window} (${memberId})`);
      io.err('its token follows, shown this once: hand it to the clerk; only its hash is kept');
      io.out(token);
      return EXIT.ok;
    } finally {
      await database.close();
    }
  });
}
