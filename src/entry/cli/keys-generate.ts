import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs';
import { generateSigningKey, type KeyAlg } from '../../federation/keys';
import { EXIT, parseCommandArgs, required, runCommand, UsageError, type CliIo } from './command';

const USAGE = `Usage: handshake keys generate --out FILE [--alg Ed25519|ES256] [--force]

Generates a signing key for a member gateway or for the trust anchor.
Writes the private JWK to FILE (mode 0600) and prints the public JWK, with its kid
(the RFC 7638 SHA-256 thumbprint), on standard output: that is what goes into the
member list the anchor signs (or, for an anchor key, into the pinned anchor JWKS).

Options:
  --out FILE     where to write the private JWK (refused if FILE exists)
  --alg ALG      Ed25519 (default) or ES256
  --force        overwrite FILE
  -h, --help     this text`;

const OPTIONS = {
  out: { type: 'string' },
  alg: { type: 'string', default: 'Ed25519' },
  force: { type: 'boolean', default: false },
} as const;

const ALGS: readonly KeyAlg[] = ['Ed25519', 'ES256'];

/** `handshake keys generate`: a new private JWK on disk, the public half on stdout, `d` never printed. */
export function keysGenerate(argv: string[], io: CliIo): Promise<number> {
  return runCommand('keys generate', USAGE, io, async () => {
    const { values } = parseCommandArgs(argv, OPTIONS);
    const out = required(values.out, '--out FILE');
    const alg = values.alg as KeyAlg;
    if (!ALGS.includes(alg)) throw new UsageError(`--alg must be Ed25519 or ES256, not ${JSON.stringify(values.alg)}`);
    const { privateJwk, publicJwk, kid } = await generateSigningKey(alg);
    writePrivate(out, JSON.stringify(privateJwk, null, 2) + '\n', values.force);
    io.out(JSON.stringify(publicJwk, null, 2));
    io.err(`Wrote the private ${alg} key to ${out} (mode 0600); keep it secret.`);
    io.err(`kid: ${kid}`);
    return EXIT.ok;
  });
}

/** Creates the file 0600 before any byte of the key is in it; without --force an existing file stays. */
function writePrivate(path: string, text: string, force: boolean): void {
  let fd: number;
  try {
    fd = openSync(path, force ? 'w' : 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error(`${path} already exists; not overwriting a key (pass --force to replace it)`);
    throw new Error(`cannot write ${path} (${code ?? (e as Error).message})`);
  }
  try {
    // An existing file keeps its old mode when opened with 'w'.
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
