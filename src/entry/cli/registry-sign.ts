import { existsSync, renameSync, writeFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { algForJwk, publicPart, thumbprint } from '../../federation/keys';
import { MemberDataError, prepareMembers, signRegistry } from '../../federation/registry/sign';
import type { RegistryMember } from '../../federation/registry/schema';
import { MAX_REGISTRY_LIFETIME, RegistryRejected, verifyRegistry, type AnchorKeys } from '../../federation/registry/verify';
import { EXIT, integerOption, isoDate, parseCommandArgs, readJsonFile, readTextFile, required, runCommand, UsageError, type CliIo } from './command';

const USAGE = `Usage: handshake registry sign --anchor-key FILE --members FILE --seq N --out FILE
                               [--issuer ID] [--days D]

The trust anchor's tool (handshake/1 §2): validates the member list and signs a registry
snapshot with the anchor's private key.

Options:
  --anchor-key FILE  the anchor's private JWK (from 'handshake keys generate')
  --members FILE     JSON: an array of members, or {"members": [...]}; each member is
                     {id, name, region, status, endpoint, keys[], items?[]}, each key a public
                     JWK with a status (active|retiring|revoked); kid and alg are filled in
  --seq N            the snapshot's sequence number; must be above the last one published
  --out FILE         where to write the signed snapshot (replaced atomically)
  --issuer ID        the snapshot's iss (default: alliance-anchor)
  --days D           lifetime in days, at most 7 (default: 7)
  -h, --help         this text`;

const OPTIONS = {
  'anchor-key': { type: 'string' },
  members: { type: 'string' },
  seq: { type: 'string' },
  out: { type: 'string' },
  issuer: { type: 'string', default: 'alliance-anchor' },
  days: { type: 'string', default: '7' },
} as const;

/** `handshake registry sign`: every problem in the member data is listed with its path (exit 1). */
export function registrySign(argv: string[], io: CliIo): Promise<number> {
  return runCommand('registry sign', USAGE, io, async () => {
    const { values } = parseCommandArgs(argv, OPTIONS);
    const keyFile = required(values['anchor-key'], '--anchor-key FILE');
    const membersFile = required(values.members, '--members FILE');
    const seq = integerOption(required(values.seq, '--seq N'), '--seq', { min: 0 });
    const out = required(values.out, '--out FILE');
    const days = parseDays(values.days);
    if (!values.issuer.trim()) throw new UsageError('--issuer must not be empty');

    const anchorJwk = readAnchorKey(keyFile);
    const members = await loadMembers(membersFile, io);
    if (!members) return EXIT.failed;
    const anchors = { keys: [{ ...publicPart(anchorJwk), kid: await thumbprint(anchorJwk) }] };
    await refuseStaleSeq(out, anchors, seq);
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + Math.min(Math.round(days * 86400), MAX_REGISTRY_LIFETIME);
    const token = await signRegistry({ anchorJwk, issuer: values.issuer, members, seq, iat, exp });
    // Never publish what gateways would refuse (e.g. one key listed under two members).
    try {
      await verifyRegistry(token, anchors, iat, null);
    } catch (e) {
      throw new Error(`nothing written: gateways would refuse this snapshot (${e instanceof RegistryRejected ? e.reason : (e as Error).message})`);
    }
    writeAtomically(out, token + '\n');
    io.out(`Signed registry snapshot written to ${out}`);
    io.out(`  seq      ${seq}`);
    io.out(`  issuer   ${values.issuer} (anchor kid ${anchors.keys[0]!.kid})`);
    io.out(`  members  ${members.length}${members.length ? ` (${members.map((m) => m.id).join(', ')})` : ''}`);
    io.out(`  iat      ${isoDate(iat)}`);
    io.out(`  exp      ${isoDate(exp)}`);
    return EXIT.ok;
  });
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || days <= 0 || days > 7) throw new UsageError(`--days must be a number above 0 and at most 7, not ${JSON.stringify(value)}`);
  return days;
}

/** The validated member list, or null once every problem has been printed with its path. */
async function loadMembers(file: string, io: CliIo): Promise<RegistryMember[] | null> {
  try {
    return await prepareMembers(readJsonFile(file, '--members'));
  } catch (e) {
    if (!(e instanceof MemberDataError)) throw new Error(`${file}: member data not usable: ${(e as Error).message}`);
    io.err(`handshake registry sign: ${file}: ${e.problems.length} problem${e.problems.length > 1 ? 's' : ''} in the member data, nothing signed:`);
    for (const p of e.problems) io.err(`  - ${p}`);
    return null;
  }
}

function readAnchorKey(file: string): JWK {
  const jwk = readJsonFile(file, '--anchor-key') as JWK | null;
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) throw new Error(`--anchor-key ${file}: not a JWK`);
  if (!algForJwk(jwk)) throw new Error(`--anchor-key ${file}: not an Ed25519 (OKP) or P-256 (EC) key`);
  if (!jwk.d) throw new Error(`--anchor-key ${file}: not a private JWK (no "d"); signing needs the anchor's private key`);
  return jwk;
}

/**
 * Gateways refuse a seq below the one they hold, and a different snapshot with the same seq (§2): so a
 * new snapshot must go above what this anchor already wrote to the same file.
 */
async function refuseStaleSeq(out: string, anchors: AnchorKeys, seq: number): Promise<void> {
  if (!existsSync(out)) return;
  let held: number;
  try {
    held = (await verifyRegistry(readTextFile(out, '--out'), anchors, Math.floor(Date.now() / 1000), null, { allowExpired: true })).claims.seq;
  } catch {
    return; // Not a snapshot of this anchor: nothing to compare with.
  }
  if (seq <= held) throw new Error(`${out} holds seq ${held}: gateways refuse a snapshot whose seq is not above the one they hold (use --seq ${held + 1})`);
}

function writeAtomically(path: string, text: string): void {
  // Gateways read the file at every refresh: they must never see half of it.
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    throw new Error(`cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
