import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { loadSigner, type Signer } from '../../src/federation/keys';
import type { JwsEngine } from '../../src/federation/engine';
import { RegistryStore } from '../../src/federation/registry/store';
import { systemClock } from '../../src/lib/clock';
import { silentLogger } from '../../src/lib/logger';
import { nodeEngine } from '../../src/entry/node/engine';
import { createTestAlliance, writeAllianceFiles } from '../../tests/support/alliance';
import { freePort } from '../../tests/support/http';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One side of an exchange, without a database: enough to sign, verify and address a peer. */
export interface Actor {
  memberId: string;
  signer: Signer;
  engine: JwsEngine;
  registry: RegistryStore;
}

export interface ServerProcess {
  gatewayUrl: string;
  plainUrl: string;
  driver: 'postgres' | 'pglite';
  /** The gateway's own database on PostgreSQL; null on PGlite (inside the gateway process). */
  databaseUrl: string | null;
  alpha: Actor;
  beta: Actor;
  /** CPU time of the server process so far, in µs. */
  cpuUs(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Member beta as its own process (the way `npm start` runs it), with the plain baseline route in the
 * same process; alpha stays here as the load's sender. beta's database: a fresh PostgreSQL database
 * when DATABASE_URL is set, PGlite files otherwise.
 */
export async function startServerProcess(): Promise<ServerProcess> {
  const port = await freePort();
  const alliance = await createTestAlliance([{ id: 'alpha', endpoint: 'http://127.0.0.1:9' }, { id: 'beta', endpoint: `http://127.0.0.1:${port}` }]);
  const files = writeAllianceFiles(alliance, await alliance.sign(1, Math.floor(Date.now() / 1000) - 60));
  const admin = process.env.DATABASE_URL;
  const dbName = `hs_bench_${Date.now().toString(36)}`;
  const env: Record<string, string> = {
    HANDSHAKE_MEMBER_ID: 'beta', HANDSHAKE_PUBLIC_URL: `http://127.0.0.1:${port}`, HANDSHAKE_SIGNING_KEY: files.keyFile('beta'),
    HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: files.registry, HANDSHAKE_DATA_DIR: `${files.dir}/beta`,
    PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
  };
  if (admin) {
    const sql = postgres(admin, { max: 1, onnotice: () => {} });
    await sql.unsafe(`create database ${dbName}`);
    await sql.end();
    const url = new URL(admin);
    url.pathname = `/${dbName}`;
    env.DATABASE_URL = url.toString();
  }
  const { DATABASE_URL: _inherited, ...parentEnv } = process.env;
  // BENCH_SERVER_PROF=DIR writes a CPU profile of the gateway process there (where its time goes).
  const prof = process.env.BENCH_SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'bench/lib/gateway-process.ts'], { cwd: ROOT, env: { ...parentEnv, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ports = await new Promise<{ gateway: number; plain: number }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server process not ready within 60 s')), 60_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) { clearTimeout(timer); resolve(JSON.parse(line.slice(6))); }
    });
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
  const actor = async (memberId: string): Promise<Actor> => {
    const registry = new RegistryStore({ anchors: alliance.anchors, source: () => readFile(files.registry, 'utf8'), repository: { latest: async () => null, save: async () => {} }, clock: systemClock, logger: silentLogger });
    await registry.start();
    return { memberId, signer: await loadSigner(alliance.members.get(memberId)!.privateJwk), engine: nodeEngine(), registry };
  };
  const plainUrl = `http://127.0.0.1:${ports.plain}`;
  return {
    gatewayUrl: `http://127.0.0.1:${ports.gateway}`, plainUrl, driver: admin ? 'postgres' : 'pglite', databaseUrl: env.DATABASE_URL ?? null,
    alpha: await actor('alpha'), beta: await actor('beta'),
    cpuUs: async () => ((await (await fetch(`${plainUrl}/plain/cpu`)).json()) as { cpuUs: number }).cpuUs,
    async close() {
      child.kill('SIGTERM');
      await exited;
      if (admin) {
        const sql = postgres(admin, { max: 1, onnotice: () => {} });
        await sql.unsafe(`drop database if exists ${dbName} with (force)`);
        await sql.end();
      }
    },
  };
}
