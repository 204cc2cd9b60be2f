import { RegistryRejected, verifyRegistry, type AnchorKeys } from '../../federation/registry/verify';
import type { RegistryKey } from '../../federation/registry/schema';
import { EXIT, integerOption, isoDate, parseCommandArgs, readJsonFile, readTextFile, required, runCommand, type CliIo } from './command';

const USAGE = `Usage: handshake registry verify FILE --anchor-jwks FILE [--seq-at-least N]

Checks a registry snapshot as a gateway would before taking it (handshake/1 §2): signed by a
pinned anchor key, typ handshake-registry+jwt, not expired, lifetime at most 7 days, kids are
RFC 7638 thumbprints. Prints the snapshot's members and keys; exits 1 if it would be refused.

Options:
  --anchor-jwks FILE   the pinned anchor public keys, a JWKS {"keys": [...]}
  --seq-at-least N     also refuse a seq below N (the seq a gateway holds)
  -h, --help           this text`;

const OPTIONS = {
  'anchor-jwks': { type: 'string' },
  'seq-at-least': { type: 'string' },
} as const;

/** `handshake registry verify`: the gateway's acceptance rules, at the current time. */
export function registryVerify(argv: string[], io: CliIo): Promise<number> {
  return runCommand('registry verify', USAGE, io, async () => {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, ['FILE']);
    const file = positionals[0]!;
    const anchorFile = required(values['anchor-jwks'], '--anchor-jwks FILE');
    const heldSeq = values['seq-at-least'] === undefined ? null : integerOption(values['seq-at-least'], '--seq-at-least', { min: 0 });
    const anchors = readAnchorJwks(anchorFile);
    const token = readTextFile(file, 'registry');
    const nowSec = Math.floor(Date.now() / 1000);
    let claims;
    try {
      ({ claims } = await verifyRegistry(token, anchors, nowSec, heldSeq));
    } catch (e) {
      if (!(e instanceof RegistryRejected)) throw e;
      io.err(`handshake registry verify: ${file} refused: ${e.reason}`);
      return EXIT.failed;
    }
    io.out(`${file}: valid registry snapshot`);
    io.out(`  seq      ${claims.seq}`);
    io.out(`  iss      ${claims.iss}`);
    io.out(`  iat      ${isoDate(claims.iat)}`);
    io.out(`  exp      ${isoDate(claims.exp)} (in ${duration(claims.exp - nowSec)})`);
    io.out(`  members  ${claims.members.length}`);
    for (const m of claims.members) {
      const items = m.items?.length ? `  items ${m.items.map((i) => `${i.code}(${i.modes.join('|')})`).join(' ')}` : '';
      io.out(`  ${m.id}  ${m.status}  ${m.endpoint}${items}`);
      for (const k of m.keys) io.out(`    key ${k.kid}  ${k.alg}  ${k.status}${validity(k)}`);
    }
    return EXIT.ok;
  });
}

function readAnchorJwks(file: string): AnchorKeys {
  const jwks = readJsonFile(file, '--anchor-jwks') as Partial<AnchorKeys> | null;
  if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.length === 0) {
    throw new Error(`--anchor-jwks ${file}: expected a JWKS {"keys": [...]} with at least one public key`);
  }
  if (jwks.keys.some((k) => k && typeof k === 'object' && 'd' in k)) {
    throw new Error(`--anchor-jwks ${file}: contains a private key; pin only the anchor's public keys`);
  }
  return { keys: jwks.keys };
}

function validity(k: RegistryKey): string {
  return `${k.nbf === undefined ? '' : `  nbf ${isoDate(k.nbf)}`}${k.exp === undefined ? '' : `  exp ${isoDate(k.exp)}`}`;
}

function duration(sec: number): string {
  const d = Math.floor(sec / 86400);
  const h = Math.floor((sec % 86400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return d ? `${d} d ${h} h` : h ? `${h} h ${m} min` : `${m} min`;
}
