import { auditExport } from './cli/audit-export';
import { auditVerify } from './cli/audit-verify';
import { catalogImport } from './cli/catalog-import';
import { catalogList } from './cli/catalog-list';
import { clerkAdd } from './cli/clerk-add';
import { clerkList } from './cli/clerk-list';
import { clerkRevoke } from './cli/clerk-revoke';
import { EXIT, type CliIo, type Command } from './cli/command';
import { keysGenerate } from './cli/keys-generate';
import { ping } from './cli/ping';
import { registrySign } from './cli/registry-sign';
import { registryVerify } from './cli/registry-verify';

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  'keys generate': { run: keysGenerate, summary: 'make a signing key (private JWK to a file, public JWK printed)' },
  'registry sign': { run: registrySign, summary: 'the trust anchor signs a registry snapshot from a member list' },
  'registry verify': { run: registryVerify, summary: 'check a registry snapshot against the pinned anchor keys' },
  'catalog import': { run: catalogImport, summary: 'import the item catalog from a sheet (.xlsx/.csv) as a new version' },
  'catalog list': { run: catalogList, summary: 'the items of the catalog in force (table or --json)' },
  'audit verify': { run: auditVerify, summary: 'check the evidence log\'s hash chain and signatures, or an exported bundle' },
  'audit export': { run: auditExport, summary: 'one case\'s evidence as a bundle that verifies offline' },
  'clerk add': { run: clerkAdd, summary: "add a clerk of one of this member's windows; prints its bearer token once" },
  'clerk list': { run: clerkList, summary: 'the clerks, their roles and windows (never their tokens)' },
  'clerk revoke': { run: clerkRevoke, summary: "revoke a clerk's token" },
  ping: { run: ping, summary: 'signed ping to another member, response verified, round-trip time' },
};

const USAGE = `Usage: handshake <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(17)}${c.summary}`).join('\n')}

Run 'handshake <command> --help' for a command's options.
Exit codes: 0 done, 1 the operation failed (refused, unreachable, ...), 2 usage error.`;

/** Finds the command named by the first one or two words; `help X` is `X --help`. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, second] = argv;
  if (first === undefined || first === '--help' || first === '-h' || (first === 'help' && second === undefined)) {
    (first === undefined ? io.err : io.out)(USAGE);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === 'help') return runCli([...argv.slice(1), '--help'], io);
  const two = COMMANDS[`${first} ${second}`];
  if (two) return two.run(argv.slice(2), io);
  const one = COMMANDS[first];
  if (one) return one.run(argv.slice(1), io);
  const group = Object.keys(COMMANDS).filter((name) => name.startsWith(`${first} `));
  if (group.length && (second === undefined || second === '--help' || second === '-h')) {
    const text = `Usage: handshake ${first} <${group.map((n) => n.split(' ')[1]).join('|')}> [options]\n\n${group.map((n) => `  ${n.padEnd(17)}${COMMANDS[n]!.summary}`).join('\n')}`;
    (second === undefined ? io.err : io.out)(text);
    return second === undefined ? EXIT.usage : EXIT.ok;
  }
  io.err(`handshake: unknown command '${group.length ? `${first} ${second}` : first}'`);
  io.err(`Run 'handshake --help' for the list of commands.`);
  return EXIT.usage;
}

/** The process wiring, called by bin/handshake.js. */
export async function main(): Promise<void> {
  const io: CliIo = {
    out: (line) => { process.stdout.write(`${line}\n`); },
    err: (line) => { process.stderr.write(`${line}\n`); },
    env: process.env,
  };
  try {
    process.exitCode = await runCli(process.argv.slice(2), io);
  } catch (e) {
    io.err(`handshake: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = EXIT.failed;
  }
}
