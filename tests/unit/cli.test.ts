import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, decodeJwt, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/entry/cli';
import type { CliIo } from '../../src/entry/cli/command';
import { keysGenerate } from '../../src/entry/cli/keys-generate';
import { ping } from '../../src/entry/cli/ping';
import { registrySign } from '../../src/entry/cli/registry-sign';
import { registryVerify } from '../../src/entry/cli/registry-verify';

interface Recorder extends CliIo {
  stdout: string[];
  stderr: string[];
}

function recorder(env: Record<string, string | undefined> = {}): Recorder {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s), env };
}

let dir: string;
const file = (name: string) => join(dir, name);

/** Runs `keys generate` and returns the printed public JWK. */
async function generate(name: string, alg = 'Ed25519'): Promise<JWK> {
  const io = recorder();
  expect(await keysGenerate(['--out', file(name), '--alg', alg], io)).toBe(0);
  return JSON.parse(io.stdout.join('\n')) as JWK;
}

const member = (id: string, key: JWK, extra: object = {}) => ({
  id, name: `${id} 政务服务中心`, region: '370000', status: 'active', endpoint: `https://${id}.example.gov.cn`,
  keys: [{ ...key, status: 'active' }], ...extra,
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'handshake-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('handshake keys generate', () => {
  it('writes a private JWK (mode 0600) whose kid is its RFC 7638 thumbprint, and prints only the public half', async () => {
    const io = recorder();
    expect(await keysGenerate(['--out', file('member.jwk')], io)).toBe(0);
    const priv = JSON.parse(readFileSync(file('member.jwk'), 'utf8')) as JWK;
    const printed = JSON.parse(io.stdout.join('\n')) as JWK;
    expect(priv).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'Ed25519' });
    expect(priv.d).toEqual(expect.any(String));
    expect(statSync(file('member.jwk')).mode & 0o777).toBe(0o600);
    const expected = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: priv.x! }, 'sha256');
    expect(priv.kid).toBe(expected);
    expect(printed).toEqual({ kty: 'OKP', crv: 'Ed25519', x: priv.x, kid: expected, alg: 'Ed25519', use: 'sig' });
    const everything = [...io.stdout, ...io.stderr].join('\n');
    expect(everything).not.toContain(priv.d);
    expect(everything).toContain(`kid: ${expected}`);
  });

  it('makes P-256 keys for ES256', async () => {
    const pub = await generate('es256.jwk', 'ES256');
    expect(pub).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(pub.kid).toBe(await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: pub.x!, y: pub.y! }, 'sha256'));
  });

  it('refuses to overwrite an existing key unless --force is given', async () => {
    const before = readFileSync(file('member.jwk'), 'utf8');
    const io = recorder();
    expect(await keysGenerate(['--out', file('member.jwk')], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/already exists.*--force/);
    expect(readFileSync(file('member.jwk'), 'utf8')).toBe(before);

    writeFileSync(file('loose.jwk'), '{}', { mode: 0o644 });
    expect(await keysGenerate(['--out', file('loose.jwk'), '--force'], recorder())).toBe(0);
    expect((JSON.parse(readFileSync(file('loose.jwk'), 'utf8')) as JWK).d).toEqual(expect.any(String));
    expect(statSync(file('loose.jwk')).mode & 0o777).toBe(0o600);
  });
});

describe('handshake registry sign and verify', () => {
  let alpha: JWK;
  let beta: JWK;

  beforeAll(async () => {
    const anchor = await generate('anchor.jwk');
    writeFileSync(file('anchor.jwks.json'), JSON.stringify({ keys: [anchor] }));
    const other = await generate('other-anchor.jwk');
    writeFileSync(file('other-anchor.jwks.json'), JSON.stringify({ keys: [other] }));
    alpha = await generate('alpha.jwk');
    beta = await generate('beta.jwk', 'ES256');
    writeFileSync(file('members.json'), JSON.stringify({
      members: [member('alpha', alpha, { items: [{ code: 'GX-001', modes: ['online'] }] }), member('beta', beta)],
    }));
  });

  it('signs a snapshot that verify accepts and lists member by member', async () => {
    const sign = recorder();
    const code = await registrySign(['--anchor-key', file('anchor.jwk'), '--members', file('members.json'), '--seq', '5', '--out', file('registry.jwt'), '--days', '2'], sign);
    expect(sign.stderr).toEqual([]);
    expect(code).toBe(0);
    const printed = sign.stdout.join('\n');
    expect(printed).toMatch(/seq\s+5/);
    expect(printed).toMatch(/members\s+2 \(alpha, beta\)/);
    const claims = decodeJwt(readFileSync(file('registry.jwt'), 'utf8').trim());
    expect(claims.exp! - claims.iat!).toBe(2 * 86400);
    expect(printed).toContain(new Date(claims.iat! * 1000).toISOString());
    expect(printed).toContain(new Date(claims.exp! * 1000).toISOString());
    expect(claims.iss).toBe('alliance-anchor');

    const verify = recorder();
    expect(await registryVerify([file('registry.jwt'), '--anchor-jwks', file('anchor.jwks.json')], verify)).toBe(0);
    const lines = verify.stdout;
    expect(lines).toContainEqual(expect.stringMatching(/^\s+seq\s+5$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\s+iss\s+alliance-anchor$/));
    expect(lines).toContain('  alpha  active  https://alpha.example.gov.cn  items GX-001(online)');
    expect(lines).toContain(`    key ${alpha.kid}  Ed25519  active`);
    expect(lines).toContain('  beta  active  https://beta.example.gov.cn');
    expect(lines).toContain(`    key ${beta.kid}  ES256  active`);
  });

  it('refuses to re-sign a seq that is not above the one in the output file', async () => {
    const args = ['--anchor-key', file('anchor.jwk'), '--members', file('members.json'), '--out', file('registry.jwt'), '--issuer', 'test-anchor'];
    const io = recorder();
    expect(await registrySign([...args, '--seq', '5'], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain('holds seq 5');
    expect(await registrySign([...args, '--seq', '6'], recorder())).toBe(0);
    expect(decodeJwt(readFileSync(file('registry.jwt'), 'utf8').trim())).toMatchObject({ seq: 6, iss: 'test-anchor' });
  });

  it('verify refuses a snapshot the pinned anchor did not sign, or with a seq below the held one, with the reason', async () => {
    const wrong = recorder();
    expect(await registryVerify([file('registry.jwt'), '--anchor-jwks', file('other-anchor.jwks.json')], wrong)).toBe(1);
    expect(wrong.stdout).toEqual([]);
    expect(wrong.stderr.join('\n')).toMatch(/refused: kid \S+ is not a pinned anchor key/);

    const old = recorder();
    expect(await registryVerify([file('registry.jwt'), '--anchor-jwks', file('anchor.jwks.json'), '--seq-at-least', '7'], old)).toBe(1);
    expect(old.stderr.join('\n')).toContain('refused: seq 6 is lower than the held 7');

    const [h, p, s] = readFileSync(file('registry.jwt'), 'utf8').trim().split('.');
    writeFileSync(file('tampered.jwt'), `${h}.${p}.${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`);
    const tampered = recorder();
    expect(await registryVerify([file('tampered.jwt'), '--anchor-jwks', file('anchor.jwks.json')], tampered)).toBe(1);
    expect(tampered.stderr.join('\n')).toContain('refused: signature does not verify');
  });

  it('lists every problem of bad member data with its path, and writes nothing', async () => {
    const privateAlpha = JSON.parse(readFileSync(file('alpha.jwk'), 'utf8')) as JWK;
    const { endpoint: _dropped, ...noEndpoint } = member('gamma', beta);
    writeFileSync(file('bad-members.json'), JSON.stringify([
      member('alpha', alpha),
      member('alpha', beta),
      member('Bad_Id', beta),
      noEndpoint,
      { ...member('delta', beta), keys: [{ ...privateAlpha, status: 'active' }] },
    ]));
    const io = recorder();
    const code = await registrySign(['--anchor-key', file('anchor.jwk'), '--members', file('bad-members.json'), '--seq', '1', '--out', file('bad.jwt')], io);
    expect(code).toBe(1);
    const text = io.stderr.join('\n');
    expect(text).toContain('4 problems');
    expect(text).toMatch(/members\[1\]\.id: alpha is listed twice/);
    expect(text).toMatch(/members\[2\]\.id: .*pattern/);
    expect(text).toMatch(/members\[3\]\.endpoint: /);
    expect(text).toMatch(/members\[4\]\.keys\[0\]: contains a private key \(d\)/);
    expect(text).not.toContain(privateAlpha.d);
    expect(io.stdout).toEqual([]);
    expect(existsSync(file('bad.jwt'))).toBe(false);
  });

  it('does not write a snapshot that gateways would refuse (one key under two members)', async () => {
    writeFileSync(file('shared-key.json'), JSON.stringify([member('alpha', alpha), member('beta', alpha)]));
    const io = recorder();
    expect(await registrySign(['--anchor-key', file('anchor.jwk'), '--members', file('shared-key.json'), '--seq', '1', '--out', file('shared.jwt')], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain('members[1].keys[0]: the same key is already listed under alpha');
    expect(existsSync(file('shared.jwt'))).toBe(false);
  });

  it('refuses a public key as the anchor key', async () => {
    writeFileSync(file('anchor.pub.json'), JSON.stringify(alpha));
    const io = recorder();
    expect(await registrySign(['--anchor-key', file('anchor.pub.json'), '--members', file('members.json'), '--seq', '9', '--out', file('x.jwt')], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain('not a private JWK');
  });
});

describe('usage errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['no command', [], /Usage: handshake <command>/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown subcommand', ['keys', 'destroy'], /unknown command 'keys destroy'/],
    ['a missing --out', ['keys', 'generate'], /--out FILE is required/],
    ['an unknown option', ['keys', 'generate', '--out', 'x.jwk', '--colour'], /Unknown option '--colour'/],
    ['an unknown --alg', ['keys', 'generate', '--out', 'x.jwk', '--alg', 'RS256'], /--alg must be Ed25519 or ES256/],
    ['a seq that is not a number', ['registry', 'sign', '--anchor-key', 'a', '--members', 'm', '--seq', 'ten', '--out', 'o'], /--seq must be a whole number/],
    ['more than 7 days', ['registry', 'sign', '--anchor-key', 'a', '--members', 'm', '--seq', '1', '--out', 'o', '--days', '8'], /--days must be .* at most 7/],
    ['verify without FILE', ['registry', 'verify', '--anchor-jwks', 'a.json'], /missing FILE/],
    ['ping without MEMBER', ['ping'], /missing MEMBER/],
    ['ping of a malformed member id', ['ping', 'Not A Member'], /is not a member id/],
    ['a zero --count', ['ping', 'beta', '--count', '0'], /--count must be a whole number from 1 to 100/],
  ];

  it.each(cases)('exit 2 for %s, with the reason on stderr', async (_name, argv, reason) => {
    const io = recorder();
    expect(await runCli(argv, io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(reason);
    expect(io.stdout).toEqual([]);
  });

  it('exit 2 for ping with an invalid configuration, naming the variable', async () => {
    const io = recorder({ HANDSHAKE_SIGNING_KEY: '/nowhere.jwk' });
    expect(await ping(['beta'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('HANDSHAKE_MEMBER_ID: required when HANDSHAKE_SIGNING_KEY is set');
  });

  it.each([['--help'], ['keys', 'generate', '--help'], ['registry', 'sign', '-h'], ['registry', 'verify', '--help'], ['help', 'ping'], ['registry', '--help']])(
    '%s prints the usage and exits 0', async (...argv) => {
      const io = recorder();
      expect(await runCli(argv, io)).toBe(0);
      expect(io.stdout.join('\n')).toMatch(/^Usage: handshake/);
      expect(io.stderr).toEqual([]);
    },
  );
});
