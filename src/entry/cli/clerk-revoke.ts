import { systemClock } from '../../lib/clock';
import { revokeClerk } from '../../services/clerks/revoke-clerk';
import { EXIT, parseCommandArgs, runCommand, type CliIo } from './command';
import { resolveClerkMember } from './clerk-member';

const USAGE = `Usage: handshake clerk revoke ID

Revokes a clerk's token (ID as 'handshake clerk list' shows it, ck_...): its next request is refused
with 401. The clerk stays listed, with the time of revocation. Revoking twice changes nothing.

Options:
  -h, --help   this text`;

/** `handshake clerk revoke`: the clerk's token stops working now. */
export function clerkRevoke(argv: string[], io: CliIo): Promise<number> {
  return runCommand('clerk revoke', USAGE, io, async () => {
    const { positionals } = parseCommandArgs(argv, {}, ['ID']);
    const id = positionals[0]!;
    const { memberId, openDatabase } = await resolveClerkMember(io);
    const database = await openDatabase();
    try {
      const result = await revokeClerk({ ctx: { db: database.db, clock: systemClock }, input: { id } });
      if (!result) {
        io.err(`handshake clerk revoke: ${memberId} has no clerk ${id}`);
        return EXIT.failed;
      }
      const { clerk, alreadyRevoked } = result;
      io.out(`${alreadyRevoked ? 'already revoked' : 'revoked'}: clerk ${clerk.id} (${clerk.name}, ${clerk.role} at ${clerk.window}) since ${clerk.revokedAt!.toISOString()}`);
      return EXIT.ok;
    } finally {
      await database.close();
    }
  });
}
