import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/entry/cli/command';
import { keysGenerate } from '../../src/entry/cli/keys-generate';
import { registrySign } from '../../src/entry/cli/registry-sign';
import { freePort } from '../support/http';

const ROOT = resolve(import.meta.dirname, '../..');

function silentIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s), env: {} };
}

/** The environment of a process acting as `id`, without the caller's DATABASE_URL (so PGlite is used). */
function memberEnv(id: string, port: number, files: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return {
    ...env, HANDSHAKE_MEMBER_ID: id, HANDSHAKE_PUBLIC_URL: `http://127.0.0.1:${port}`,
    HANDSHAKE_SIGNING_KEY: files[`${id}.jwk`], HANDSHAKE_ANCHOR_JWKS: files['anchor.jwks.json'], HANDSHAKE_REGISTRY: files['registry.jwt'],
    HANDSHAKE_DATA_DIR: join(files.dir!, id), PORT: String(port), LOG_LEVEL: 'warn',
  };
}

function runCliProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/handshake.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) })).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`gateway not healthy after ${timeoutMs} ms:\n${log()}`);
}

describe('handshake ping against a running member gateway', () => {
  const files: Record<string, string> = {};
  const kids: Record<string, string> = {};
  let alphaPort: number;
  let betaPort: number;
  let beta: ChildProcess | undefined;
  let betaLog = '';

  beforeAll(async () => {
    files.dir = mkdtempSync(join(tmpdir(), 'handshake-cli-ping-'));
    for (const name of ['anchor', 'alpha', 'beta']) {
      const io = silentIo();
      files[`${name}.jwk`] = join(files.dir, `${name}.jwk`);
      expect(await keysGenerate(['--out', files[`${name}.jwk`]!], io), io.stderr.join('\n')).toBe(0);
      const pub = JSON.parse(io.stdout.join('\n')) as JWK;
      kids[name] = pub.kid!;
      files[`${name}.pub`] = JSON.stringify(pub);
    }
    [alphaPort, betaPort] = [await freePort(), await freePort()];
    files['anchor.jwks.json'] = join(files.dir, 'anchor.jwks.json');
    writeFileSync(files['anchor.jwks.json'], JSON.stringify({ keys: [JSON.parse(files['anchor.pub']!)] }));
    const members = [['alpha', alphaPort], ['beta', betaPort]].map(([id, port]) => ({
      id, name: `${id} 政务服务中心`, region: '370000', status: 'active', endpoint: `http://127.0.0.1:${port}`,
      keys: [{ ...JSON.parse(files[`${id}.pub`]!), status: 'active' }],
    }));
    files['members.json'] = join(files.dir, 'members.json');
    writeFileSync(files['members.json'], JSON.stringify({ members }));
    files['registry.jwt'] = join(files.dir, 'registry.jwt');
    const sign = silentIo();
    const signed = await registrySign(['--anchor-key', files['anchor.jwk']!, '--members', files['members.json'], '--seq', '1', '--out', files['registry.jwt']], sign);
    expect(signed, sign.stderr.join('\n')).toBe(0);

    // Its own process group, so that afterAll ends tsx and the gateway under it together.
    beta = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['src/entry/node.ts'], {
      cwd: ROOT, env: memberEnv('beta', betaPort, files), stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    beta.stdout!.on('data', (d: Buffer) => { betaLog += d.toString(); });
    beta.stderr!.on('data', (d: Buffer) => { betaLog += d.toString(); });
    // Usually a few seconds (PGlite creates and migrates its database); much more on a loaded machine.
    await waitForHealth(`http://127.0.0.1:${betaPort}`, beta, () => betaLog);
  }, 45_000);

  afterAll(async () => {
    if (beta?.pid && beta.exitCode === null) {
      const exited = new Promise((r) => beta!.once('exit', r));
      process.kill(-beta.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (beta.exitCode === null) process.kill(-beta.pid, 'SIGKILL');
    }
    if (files.dir) rmSync(files.dir, { recursive: true, force: true });
  });

  it('pings beta as alpha: exit 0, the answer signed by beta\'s key, and the round-trip time', async () => {
    const r = await runCliProcess(['ping', 'beta'], memberEnv('alpha', alphaPort, files));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^beta answered 200 in \\d+(\\.\\d+)? ms \\(response signature verified, kid ${kids.beta}\\)\\n$`));
  });

  it('exits 1 with a clear message for a member the registry does not list', async () => {
    const r = await runCliProcess(['ping', 'gamma'], memberEnv('alpha', alphaPort, files));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('ping gamma failed: unknown_member: member gamma is not in the registry');
  });
});
