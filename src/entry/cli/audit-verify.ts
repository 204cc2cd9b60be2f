import { verifyChains } from '../../federation/evidence/chain';
import { BundleRefused, verifyBundle } from '../../federation/evidence/bundle';
import { storedSnapshots, verifySnapshots } from '../../federation/evidence/snapshots';
import { nodeEngine } from '../node/engine';
import { EXIT, parseCommandArgs, readJsonFile, runCommand, type CliIo } from './command';
import { auditSources, readPinnedAnchors } from './audit-support';
import { openGatewayDatabase } from './gateway-database';

const USAGE = `Usage: handshake audit verify [--anchor-jwks FILE]
       handshake audit verify --bundle FILE [--anchor-jwks FILE]

Without --bundle: walks every chain of the gateway's evidence log (its database, as 'catalog list'
finds it; the shared chain, and one per gateway process start) from its first record: recomputes
every record's hash, checks that each prevHash is the hash of the record before it in its chain,
checks each kept body against its digest, and verifies every token's signature with the key its kid
had in the registry snapshots the gateway stored (the one in force when the record was written,
else any), after checking those snapshots against the anchor keys. Prints 'N records verified' and
each chain's head, or names the first bad record (its seq and what is wrong) and exits 1.

With --bundle: verifies an export ('handshake audit export') offline: its registry snapshots against
the anchor keys (those of --anchor-jwks when given, else the bundle's own, which proves only that the
bundle is consistent), then each record: its hash over its fields and prevHash, body and token.

Options:
  --bundle FILE        an evidence bundle (JSON) to verify instead of the database
  --anchor-jwks FILE   pinned anchor public keys, a JWKS {"keys": [...]}
  -h, --help           this text`;

const OPTIONS = { bundle: { type: 'string' }, 'anchor-jwks': { type: 'string' } } as const;

/** `handshake audit verify`: the evidence chain of this gateway, or an exported bundle, checked end to end. */
export function auditVerify(argv: string[], io: CliIo): Promise<number> {
  return runCommand('audit verify', USAGE, io, async () => {
    const { values } = parseCommandArgs(argv, OPTIONS);
    const anchorFile = values['anchor-jwks'];
    if (values.bundle) return verifyBundleFile(values.bundle, anchorFile, io);
    const sources = await auditSources(io, anchorFile);
    const engine = nodeEngine();
    const database = await openGatewayDatabase(io);
    try {
      const keys = await verifySnapshots(await storedSnapshots(database.db), sources.anchors, nowSec());
      for (const r of keys.refused) io.err(`warning: registry snapshot ${r.seq ?? '?'} does not verify with ${sources.anchorsFrom}: ${r.reason}`);
      const report = await verifyChains(database.db, { keys, engine, self: sources.memberId, open: sources.open });
      if (!sources.open) io.err('note: no data key (HANDSHAKE_DATA_KEY or the member\'s data.key): sealed bodies are not checked against their digests');
      const bad = report.chains.find((c) => c.firstBad);
      if (bad) {
        io.err(`handshake audit verify: record ${bad.firstBad!.seq} is bad: ${bad.firstBad!.problem}`);
        io.err(`  ${bad.verified} record${bad.verified === 1 ? '' : 's'} before it verified in its chain (${chainName(bad.chain)})${bad.head ? `, up to seq ${bad.head.seq}` : ''}`);
        return EXIT.failed;
      }
      io.out(`${report.verified} records verified`);
      for (const c of report.chains) if (c.head) io.out(`  head       ${chainName(c.chain)}: seq ${c.head.seq}, hash ${c.head.hash} (${c.verified} records)`);
      io.out(`  snapshots  ${keys.byseq.size} checked with ${sources.anchorsFrom}`);
      return EXIT.ok;
    } finally {
      await database.close();
    }
  });
}

const chainName = (chain: string) => (chain ? `chain ${chain}` : 'the shared chain');

async function verifyBundleFile(file: string, anchorFile: string | undefined, io: CliIo): Promise<number> {
  const pinned = anchorFile ? readPinnedAnchors(anchorFile) : null;
  let report;
  try {
    report = await verifyBundle(readJsonFile(file, '--bundle'), { pinned, engine: nodeEngine(), nowSec: nowSec() });
  } catch (e) {
    if (!(e instanceof BundleRefused)) throw e;
    io.err(`handshake audit verify: ${file}: ${e.message}`);
    return EXIT.failed;
  }
  const anchors = report.anchors === 'pinned'
    ? `the pinned anchor keys of ${anchorFile}`
    : 'the bundle\'s own anchor keys (not pinned: this shows the bundle is consistent, not that its anchor is yours; pass --anchor-jwks)';
  if (report.firstBad) {
    io.err(`handshake audit verify: ${file}: record ${report.firstBad.seq} is bad: ${report.firstBad.problem}`);
    return EXIT.failed;
  }
  io.out(`${report.records} records verified`);
  io.out(`  snapshots  ${report.snapshots} verified with ${anchors}`);
  io.out('  each record verified on its own: the bundle holds part of the chain, not the records between');
  return EXIT.ok;
}

const nowSec = () => Math.floor(Date.now() / 1000);
