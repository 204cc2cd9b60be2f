import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { BundleRefused, exportCase } from '../../federation/evidence/bundle';
import { storedSnapshots, verifySnapshots } from '../../federation/evidence/snapshots';
import { nodeEngine } from '../node/engine';
import { EXIT, parseCommandArgs, required, runCommand, UsageError, type CliIo } from './command';
import { auditSources } from './audit-support';
import { openGatewayDatabase } from './gateway-database';

const USAGE = `Usage: handshake audit export --case REF --out FILE [--anchor-jwks FILE] [--force]

Writes a self-contained evidence bundle (JSON) of one case: its records in the gateway's evidence log,
with the other half of each exchange they belong to (a request and its signed answer), every registry
snapshot their keys come from, and the anchor keys those snapshots verify with. Anyone can check it
offline with 'handshake audit verify --bundle FILE --anchor-jwks ANCHORS'.

A bundle proves that each record is unchanged since it was hashed, and that each request, answer and
receipt in it was signed by the key the anchor-signed registry listed for its member, over the body
it names. It does not prove that it holds every record of the case, nor where its records sit in the
chain (the records between them are not in it: 'audit verify' on the gateway's database checks that),
nor the time 'at' (the gateway's clock; the tokens' iat are the signers').

Options:
  --case REF           the case reference
  --out FILE           where to write the bundle (refused if it exists, unless --force)
  --anchor-jwks FILE   anchor public keys to check the snapshots with (default: the gateway's)
  --force              replace FILE
  -h, --help           this text`;

const OPTIONS = { case: { type: 'string' }, out: { type: 'string' }, 'anchor-jwks': { type: 'string' }, force: { type: 'boolean', default: false } } as const;

/** `handshake audit export`: one case's evidence as a bundle that verifies offline. */
export function auditExport(argv: string[], io: CliIo): Promise<number> {
  return runCommand('audit export', USAGE, io, async () => {
    const { values } = parseCommandArgs(argv, OPTIONS);
    const caseRef = required(values.case, '--case REF');
    const out = required(values.out, '--out FILE');
    if (!caseRef.trim()) throw new UsageError('--case must not be empty');
    if (existsSync(out) && !values.force) throw new Error(`${out} exists; pass --force to replace it`);
    const sources = await auditSources(io, values['anchor-jwks']);
    const database = await openGatewayDatabase(io);
    let bundle;
    try {
      const keys = await verifySnapshots(await storedSnapshots(database.db), sources.anchors, Math.floor(Date.now() / 1000));
      bundle = await exportCase({ db: database.db, caseRef, anchors: sources.anchors, keys, engine: nodeEngine(), self: sources.memberId, now: new Date(), open: sources.open });
    } catch (e) {
      if (!(e instanceof BundleRefused)) throw e;
      io.err(`handshake audit export: case ${caseRef}: nothing written: ${e.message}`);
      return EXIT.failed;
    } finally {
      await database.close();
    }
    if (bundle.records.length === 0) {
      io.err(`handshake audit export: no evidence records for case ${caseRef}; nothing written`);
      return EXIT.failed;
    }
    const tmp = `${out}.${process.pid}.tmp`;
    // The bodies are opened (a transfer carries the applicant's ID number): the file is for the auditor only.
    writeFileSync(tmp, JSON.stringify(bundle, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, out);
    io.out(`exported ${bundle.records.length} records of case ${caseRef} to ${out}`);
    io.out(`  snapshots  ${bundle.snapshots.length}, checked with ${sources.anchorsFrom}`);
    return EXIT.ok;
  });
}
