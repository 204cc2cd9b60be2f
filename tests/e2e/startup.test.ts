import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { signRequest } from '../../src/federation/envelope/sign';
import { loadSigner } from '../../src/federation/keys';
import { systemClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_IDS, readTokens, threeFreePorts } from '../support/demo-alliance';
import { listen } from '../support/http';
import { until } from '../support/receiver-proxy';
import { ROOT, startGatewayProcess, type GatewayProcess } from '../support/process';

/** Runs the Node entry to completion (it must exit on its own) with the given environment. */
function runEntry(env: Record<string, string>, timeout = 30_000) {
  const { DATABASE_URL: _drop, ...inherited } = process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], { cwd: ROOT, env: { ...inherited, ...env }, encoding: 'utf8', timeout });
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

  it('a port already in use stops the start with a message naming it, and the process exits by itself', async () => {
    const port = await threeFreePorts();
    const taken = await listen(() => new Response('someone else'), port + 1);
    try {
      const r = runEntry({ HANDSHAKE_DATA_DIR: mkdtempSync(join(tmpdir(), 'handshake-busy-')), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, 90_000);
      expect({ status: r.status, out: r.out }).toMatchObject({ status: 1, out: expect.stringContaining(`PORT ${port + 1}: 127.0.0.1:${port + 1} is already in use; stop what listens there or set another PORT`) });
      expect(r.out).not.toMatch(/^\s+at /m);
    } finally {
      await taken.close();
    }
  }, 120_000);

  it('with no configuration it runs a dev alliance of three members, with sandboxes and clerks; a case crosses it; a restart reuses it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'handshake-dev-'));
    const port = await threeFreePorts();
    const urls = DEV_IDS.map((_, i) => `http://127.0.0.1:${port + i}`);
    const first = await startGatewayProcess({ HANDSHAKE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, port, 120_000);
    started.push(first);
    await until('the how-to is printed', async () => first.output().includes('Take a case end to end'), 120_000);
    const out = first.output();
    expect(out).toContain('no configuration found, so this is a local development alliance of three members');
    expect(out).toContain(join(dataDir, 'dev', 'registry.jwt'));
    for (const [i, id] of DEV_IDS.entries()) expect(out).toMatch(new RegExp(`${id} +${urls[i]} `));
    expect(out).toContain(`${urls[0]}/api/docs`);
    for (const [i, id] of DEV_IDS.entries()) {
      const wk = await (await fetch(`${urls[i]}/.well-known/handshake`)).json() as { member: string; endpoint: string; registrySeq: number };
      expect(wk).toMatchObject({ member: id, endpoint: urls[i], registrySeq: 1 });
      expect((await fetch(`${urls[i]}/ready`)).status).toBe(200);
    }
    expect((await fetch(`${urls[0]}/api/docs`)).status).toBe(200);
    // Each partner file's back office runs as its adapter's sandbox.
    const sandbox = /gaoxin +\S+ +back office: standard sandbox (\S+)/.exec(out)?.[1];
    expect(sandbox).toBeDefined();
    expect(await (await fetch(`${sandbox}/api/health`)).json()).toMatchObject({ status: 'ok' });
    expect(out).toMatch(/xihaike +\S+ +back office: xihaike sandbox http/);
    expect(out).toMatch(/chengdu-gx +\S+ +back office: soap-legacy sandbox http/);

    // The dev anchor lists what each member handles by its partner file; /federation/v1/items joins the seeded catalog.
    const signer = await loadSigner(JSON.parse(readFileSync(join(dataDir, 'dev', 'gaoxin.key.jwk'), 'utf8')));
    const itemsUrl = `${urls[0]}/federation/v1/items`;
    const { token } = await signRequest(signer, { iss: 'gaoxin', aud: 'gaoxin', method: 'GET', url: itemsUrl, body: new Uint8Array() }, systemClock, randomIds);
    const items = await (await fetch(itemsUrl, { headers: { 'handshake-request': token } })).json() as { code: string; name: string; materials: unknown[] }[];
    expect(items).toHaveLength(20);
    expect(items[0]).toMatchObject({ code: 'KS-SCZT-001', name: '内资企业及分支机构设立登记' });

    // One clerk per role and member, their tokens in a 0600 file and nowhere in the output.
    const clerksFile = join(dataDir, 'dev', 'clerks.env');
    expect(out).toContain(clerksFile);
    expect(statSync(clerksFile).mode & 0o777).toBe(0o600);
    const tokens = readTokens(clerksFile);
    expect(Object.keys(tokens)).toHaveLength(9);
    for (const t of Object.values(tokens)) expect(out).not.toContain(t);
    const me = await (await fetch(`${urls[1]}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.XIHAIKE_HANDLING_TOKEN}` } })).json();
    expect(me).toMatchObject({ role: 'handling', window: { id: 'kuayu-a' }, member: { id: 'xihaike' } });

    // The printed walk: take a case in at gaoxin, upload what it needs, transfer it; xihaike has it.
    const gx = (path: string, body?: unknown) => clerkCall(`${urls[0]}${path}`, tokens.GAOXIN_INTAKE_TOKEN!, body);
    const created = await gx('/api/v1/cases', DEMO_CASE);
    expect(created.status).toBe(201);
    const ref = created.json.ref as string;
    for (const m of ['id-card', 'application']) expect((await gx(`/api/v1/cases/${ref}/materials`, { requirement: m, name: m, mediaType: 'application/pdf', content: 'JVBERi0xLjQK' })).status).toBe(201);
    expect(await gx(`/api/v1/cases/${ref}/transfer`, {})).toMatchObject({ status: 202, json: { to: 'xihaike' } });
    let remoteRef = '';
    await until('the receipt is back at gaoxin', async () => {
      const c = await gx(`/api/v1/cases/${ref}`);
      remoteRef = (c.json.remoteRef as string | null) ?? '';
      return c.json.state === 'received' && !!remoteRef;
    });
    const xhk = await clerkCall(`${urls[1]}/api/v1/cases/${remoteRef}/timeline`, tokens.XIHAIKE_HANDLING_TOKEN!);
    expect(xhk).toMatchObject({ status: 200, json: { role: 'handling', status: 'received' } });
    // And the printed lines themselves, as a user would paste them (where curl is installed).
    if (spawnSync('curl', ['--version']).status === 0) {
      const script = out.slice(out.indexOf('Take a case end to end')).split('\n').slice(1).filter((l) => l.startsWith('  ')).map((l) => l.slice(2)).join('\n');
      // Not spawnSync: this process must keep reading the gateway's output meanwhile.
      const walk = await runScript(script, 90_000);
      expect(walk.code, `${walk.stdout}\n${walk.stderr}\n${first.output().slice(-2000)}`).toBe(0);
      expect(walk.stdout).toMatch(/"state":"transferring","to":"xihaike"/);
      expect(walk.stdout).toMatch(/"status":"accepted","messageId":"ob_/);
    }
    await first.stop();
    expect({ code: first.child.exitCode, signal: first.child.signalCode }, first.output().slice(-3000)).toEqual({ code: 0, signal: null });

    const again = await startGatewayProcess({ HANDSHAKE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, port, 120_000);
    started.push(again);
    await until('the how-to is printed again', async () => again.output().includes('Take a case end to end'), 120_000);
    expect(again.output()).toContain('Using the dev alliance in');
    expect(readTokens(clerksFile)).toEqual(tokens);
    for (const url of urls) expect(await (await fetch(`${url}/.well-known/handshake`)).json()).toMatchObject({ registrySeq: 1 });
    expect((await gx(`/api/v1/cases/${ref}`)).json).toMatchObject({ state: 'received', remoteRef });
  }, 300_000);
});

const DEMO_CASE = {
  itemCode: 'KS-GJJ-006', mode: 'proxy_intake',
  applicant: { kind: 'person', name: '李四', idType: 'resident_id', idNumber: '370211199001011234' },
  identityCheck: { method: 'id_card_reader', result: 'passed' },
  delivery: { method: 'window' }, consent: { dataSharing: true, at: '2026-01-05T09:00:00+08:00' },
};

async function clerkCall(url: string, token: string, body?: unknown) {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function runScript(script: string, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-e', '-c', script], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

