import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { signRequest } from '../../src/federation/envelope/sign';
import { loadSigner } from '../../src/federation/keys';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
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

  it('a gap in partner data stops the start, naming the file, the field and the item', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handshake-partners-'));
    const json = JSON.parse(readFileSync(join(ROOT, 'partners', 'xihaike.json'), 'utf8')) as { items: Record<string, unknown> };
    delete json.items['KS-GJJ-003'];
    writeFileSync(join(dir, 'xihaike.json'), JSON.stringify(json));
    const r = runEntry({ HANDSHAKE_DATA_DIR: mkdtempSync(join(tmpdir(), 'handshake-data-')), HANDSHAKE_PARTNERS_DIR: dir, PORT: '0' });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/xihaike\.json: items\.KS-GJJ-003: agreed item KS-GJJ-003 \(购房提取住房公积金\) has no mapping for xihaike/);
  }, 60_000);

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
    // The dev anchor lists what gaoxin handles by its partner file; /federation/v1/items joins the seeded catalog.
    const signer = await loadSigner(JSON.parse(readFileSync(join(dataDir, 'dev', 'gaoxin.key.jwk'), 'utf8')));
    const url = `${first.url}/federation/v1/items`;
    const { token } = await signRequest(signer, { iss: 'gaoxin', aud: 'gaoxin', method: 'GET', url, body: new Uint8Array() }, systemClock, randomIds);
    const items = await (await fetch(url, { headers: { 'handshake-request': token } })).json() as { code: string; name: string; materials: unknown[] }[];
    expect(items).toHaveLength(20);
    expect(items[0]).toMatchObject({ code: 'KS-SCZT-001', name: '内资企业及分支机构设立登记' });
    expect(items[0]!.materials.length).toBeGreaterThan(0);
    await first.stop();

    const again = await startGatewayProcess({ HANDSHAKE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, port);
    started.push(again);
    await new Promise((r) => setTimeout(r, 200));
    expect(again.output()).toContain('Using the dev alliance in');
    expect(await (await fetch(`${again.url}/.well-known/handshake`)).json()).toMatchObject({ registrySeq: 1 });
  }, 120_000);
});
