import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/http';
import { ROOT, startGatewayProcess, type GatewayProcess } from '../support/process';

/** Runs the Node entry to completion (it must exit on its own) with the given environment. */
function runEntry(env: Record<string, string>) {
  const { DATABASE_URL: _drop, ...inherited } = process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], { cwd: ROOT, env: { ...inherited, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const started: GatewayProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
});

describe('starting the gateway as a new user would', () => {
  it('a bad value stops the process with a message naming the variable', () => {
    const r = runEntry({ PORT: 'eighty' });
    expect(r.status).toBe(2);
    expect(r.out).toContain('PORT: must be a port number');
  });

  it('a member configuration with a missing key file names the variable and the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handshake-start-'));
    const r = runEntry({
      HANDSHAKE_MEMBER_ID: 'gaoxin', HANDSHAKE_PUBLIC_URL: 'https://gaoxin.example.test',
      HANDSHAKE_SIGNING_KEY: join(dir, 'missing.jwk'), HANDSHAKE_ANCHOR_JWKS: join(dir, 'anchor.json'), HANDSHAKE_REGISTRY: join(dir, 'registry.jwt'),
    });
    expect(r.status).toBe(1);
    expect(r.out).toContain(`HANDSHAKE_SIGNING_KEY: cannot read ${join(dir, 'missing.jwk')} (ENOENT)`);
  });

  it('with no configuration it creates a dev alliance, says so, and answers as a member; a restart reuses it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'handshake-dev-'));
    const port = await freePort();
    const first = await startGatewayProcess({ HANDSHAKE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, port);
    started.push(first);
    await new Promise((r) => setTimeout(r, 200));
    expect(first.output()).toContain('no configuration found, so this is a local development member');
    expect(first.output()).toContain(join(dataDir, 'dev', 'registry.jwt'));
    expect(first.output()).toContain(`listens on http://127.0.0.1:${port}`);
    const wk = await (await fetch(`${first.url}/.well-known/handshake`)).json() as { member: string; endpoint: string; registrySeq: number };
    expect(wk).toMatchObject({ member: 'gaoxin', endpoint: `http://127.0.0.1:${port}`, registrySeq: 1 });
    expect((await fetch(`${first.url}/ready`)).status).toBe(200);
    await first.stop();

    const again = await startGatewayProcess({ HANDSHAKE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, port);
    started.push(again);
    await new Promise((r) => setTimeout(r, 200));
    expect(again.output()).toContain('Using the dev alliance in');
    expect(await (await fetch(`${again.url}/.well-known/handshake`)).json()).toMatchObject({ registrySeq: 1 });
  }, 120_000);
});
