/**
 * `npm run bench:scale-out` (issue 7): the signed ping throughput of two gateway processes of one member
 * on one PostgreSQL database (the same environment but PORT; the replay guard and the §5 store are that
 * database's) against one of them alone, in the same run. The load takes turns: every request to
 * instance a, then round-robin over a and b, with the same closed-loop concurrency. Informational: exits
 * 0 whatever the figures. Needs DATABASE_URL (PGlite serves one process). Loopback only; a watchdog
 * bounds the run.
 */
import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { signRequest } from '../src/federation/envelope/sign';
import { verifyResponse } from '../src/federation/envelope/verify';
import { loadSigner } from '../src/federation/keys';
import { RegistryStore } from '../src/federation/registry/store';
import { seconds, systemClock } from '../src/lib/clock';
import { randomIds } from '../src/lib/ids';
import { silentLogger } from '../src/lib/logger';
import { nodeEngine } from '../src/entry/node/engine';
import { createNodeFetch } from '../src/entry/node/http';
import { createTestAlliance, writeAllianceFiles } from '../tests/support/alliance';
import { freePort } from '../tests/support/http';
import { spawnGateway, type SpawnedGateway } from './lib/gateway-spawn';
import { loadOptionsFromEnv, runAlternating, type LoadOptions, type LoadResult, type Shot } from './lib/load';
import { loadAverage, machineFacts } from './lib/report';
import { startWatchdog } from './lib/watchdog';

const WATCHDOG_MS = 240_000;
const PING = '/federation/v1/ping';


const load = loadOptionsFromEnv({ concurrency: 16, durationMs: 6_000, maxRequests: 20_000, rounds: 6 });
const warmup: LoadOptions = { ...load, durationMs: 2_000, maxRequests: 4_000, rounds: 2 };

/** Member beta twice on one fresh database; alpha (here) is the sender. */
async function startTwoInstances(admin: string) {
  const ports = [await freePort(), await freePort()] as const;
  const publicUrl = `http://127.0.0.1:${ports[0]}`;
  const alliance = await createTestAlliance([{ id: 'alpha', endpoint: 'http://127.0.0.1:9' }, { id: 'beta', endpoint: publicUrl }]);
  const files = writeAllianceFiles(alliance, await alliance.sign(1, Math.floor(Date.now() / 1000) - 60));
  const name = `hs_bench_scale_${Date.now().toString(36)}`;
  const root = postgres(admin, { max: 1, onnotice: () => {} });
  await root.unsafe(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const env: Record<string, string> = {
    HANDSHAKE_MEMBER_ID: 'beta', HANDSHAKE_PUBLIC_URL: publicUrl, HANDSHAKE_SIGNING_KEY: files.keyFile('beta'),
    HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: files.registry, HANDSHAKE_DATA_DIR: `${files.dir}/beta`,
    DATABASE_URL: url.toString(), LOG_LEVEL: 'warn',
  };
  const started = await Promise.allSettled(ports.map((port) => spawnGateway({ ...env, PORT: String(port) })));
  const instances = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const close = async () => {
    await Promise.all(instances.map((g) => g.close()));
    await root.unsafe(`drop database if exists ${name} with (force)`);
    await root.end();
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) { await close(); throw failed.reason; }
  const registry = new RegistryStore({ anchors: alliance.anchors, source: () => readFile(files.registry, 'utf8'), repository: { latest: async () => null, save: async () => {} }, clock: systemClock, logger: silentLogger });
  await registry.start();
  const alpha = { signer: await loadSigner(alliance.members.get('alpha')!.privateJwk), engine: nodeEngine(), registry };
  return { a: instances[0]!, b: instances[1]!, publicUrl, alpha, root, name, close };
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (v: number, digits: number, width = 10) => (Number.isFinite(v) ? v.toFixed(digits) : '-').padStart(width);
const row = (label: string, r: LoadResult) =>
  `${pad(label, 36)}${num(r.perSecond, 0)}${num(r.p50Ms, 2)}${num(r.p99Ms, 2)}${num(r.serverCpuUsPerRequest, 0, 12)}${num(r.cpuUsPerRequest, 0, 12)}${String(r.requests).padStart(8)}${String(r.failures).padStart(7)}`;

/** CPU time (µs) of the PostgreSQL backends serving `db` now, from /proc (the gateways' pooled connections). */
async function backendCpuUs(sql: postgres.Sql, db: string): Promise<number> {
  const pids = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${db} and pid <> pg_backend_pid()`;
  let ticks = 0;
  for (const { pid } of pids) {
    try {
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat(5))
    } catch {
      // the backend ended, or no /proc here
    }
  }
  return ticks * 10_000; // USER_HZ is 100 on Linux
}

/**
 * runAlternating reads `serverCpu` before and after each slice, shot after shot: this meter also reads
 * other counters then and adds each slice's change to its shot's totals. `read()[0]` is what it returns.
 */
function sliceMeter(shots: number, read: () => Promise<number[]>) {
  let calls = 0;
  let start: number[] = [];
  const totals = Array.from({ length: shots }, () => [] as number[]);
  return {
    totals,
    async serverCpu(): Promise<number> {
      const now = await read();
      const k = calls++;
      if (k % 2 === 0) start = now;
      else now.forEach((v, i) => { const t = totals[Math.floor(k / 2) % shots]!; t[i] = (t[i] ?? 0) + v - start[i]!; });
      return now[0]!;
    },
  };
}

async function main() {
  const admin = process.env.DATABASE_URL;
  if (!admin) {
    console.log('bench:scale-out needs PostgreSQL (DATABASE_URL): two instances share one database, which PGlite cannot serve.');
    return;
  }
  const watchdog = startWatchdog(WATCHDOG_MS);
  const loadBefore = loadAverage();
  const http = createNodeFetch();
  const beta = await startTwoInstances(admin);
  watchdog.cleanup(async () => { await http.close(); await beta.close(); });
  try {
    const { a, b, alpha } = beta;
    console.log('cloud-handshake scale-out benchmark: one member, two gateway processes on one PostgreSQL database');
    for (const line of machineFacts()) console.log(line);
    console.log('server   member beta twice, as npm start runs it (bench/lib/gateway-process.ts, node:crypto engine, LOG_LEVEL=warn),');
    console.log('         the same environment but PORT, one fresh database (replay guard and idempotency store shared)');
    console.log(`load     signed POST ${PING} from alpha, pre-signed before the run (each its own jti, valid 60 s), every answer`);
    console.log(`         verified; ${load.concurrency} concurrent over one keep-alive undici Agent, ${load.durationMs} ms per side in ${load.rounds} alternating`);
    console.log(`         slices after a ${warmup.durationMs} ms warm-up; at most ${load.maxRequests} requests per side. "one": every request to instance a;`);
    console.log('         "two": round-robin over a and b. The load generator, both gateways and PostgreSQL share these cores.');
    console.log('');

    // Signed here, untimed, for beta's public URL: either instance accepts them (htu is checked against it).
    const pool: { token: string; jti: string }[] = [];
    const url = beta.publicUrl + PING;
    for (let i = 0; i < 2 * load.maxRequests + 2 * warmup.maxRequests; i++) {
      const { token, claims } = await signRequest(alpha.signer, { iss: 'alpha', aud: 'beta', method: 'POST', url, body: new Uint8Array() }, systemClock, randomIds, alpha.engine);
      pool.push({ token, jti: claims.jti });
    }
    const ping = async (target: SpawnedGateway): Promise<boolean> => {
      const next = pool.pop();
      if (!next) return false;
      const res = await http.fetch(target.url + PING, { method: 'POST', headers: { accept: 'application/json', 'handshake-request': next.token } });
      const body = new Uint8Array(await res.arrayBuffer());
      const v = await verifyResponse({ token: res.headers.get('handshake-response'), status: res.status, body, requestJti: next.jti },
        { registry: alpha.registry.current(), selfId: 'alpha', nowSec: seconds(systemClock), engine: alpha.engine });
      return res.status === 200 && v.claims.iss === 'beta';
    };
    let turn = 0;
    const one: Shot = () => ping(a);
    const two: Shot = () => ping(turn++ % 2 === 0 ? a : b);
    // Per slice: both gateways' CPU, the PostgreSQL backends' CPU, and the database's committed transactions.
    const meter = sliceMeter(2, async () => {
      const [x] = await beta.root<{ n: string }[]>`select xact_commit::text as n from pg_stat_database where datname = ${beta.name}`;
      return [(await a.cpuUs()) + (await b.cpuUs()), await backendCpuUs(beta.root, beta.name), Number(x!.n)];
    });
    await runAlternating([one, two], warmup);
    const [r1, r2] = await runAlternating([one, two], { ...load, serverCpu: meter.serverCpu });

    console.log(`${pad('', 36)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'server µs'.padStart(12)}${'load µs'.padStart(12)}${'ok'.padStart(8)}${'failed'.padStart(7)}`);
    console.log(row('one instance  (a)', r1!));
    console.log(row('two instances (a + b, round-robin)', r2!));
    console.log(`throughput two/one = ${(r2!.perSecond / r1!.perSecond).toFixed(2)}x   (2.00x would be linear)`);
    console.log('server µs: CPU of both gateway processes per good request; load µs: this process\'s');
    for (const [name, r, t] of [['one', r1!, meter.totals[0]!], ['two', r2!, meter.totals[1]!]] as const) {
      console.log(`${name}: PostgreSQL backends ${(t[1]! / r.requests).toFixed(0)} µs CPU and ${(t[2]! / r.requests).toFixed(2)} transactions per good request (10 ms ticks)`);
    }
    for (const [name, r] of [['one', r1!], ['two', r2!]] as const) {
      if (r.failures) console.log(`  ${name}: ${r.failures} failed requests, first error: ${r.firstError ?? 'non-2xx or unverified answer'}`);
    }
    console.log(`loadavg  ${loadBefore} before, ${loadAverage()} after (1/5/15 min)`);
    for (const [label, g] of [['a', a], ['b', b]] as const) if (g.log().trim()) console.log(`instance ${label} logged:\n${g.log().trim().slice(-2_000)}`);
  } finally {
    await http.close();
    await beta.close();
    watchdog.clear();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
