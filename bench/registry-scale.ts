/**
 * `npm run bench:registry`: signed-request verification with a registry of 500 members and 1,000 keys
 * against one of 3 members, in the same run: verifyRequest in this process with the key index of each,
 * then signed pings through two gateway processes (as `npm start` runs them), one loaded with each
 * registry, from senders spread over it. Target: the big registry's throughput within 5% of the small's.
 * Informational: exits 0 whatever the figures. Loopback only; bounded in time and count; a watchdog.
 */
import { writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { signRequest } from '../src/federation/envelope/sign';
import { verifyResponse } from '../src/federation/envelope/verify';
import { joseEngine } from '../src/federation/engine';
import { KeyCache } from '../src/federation/keys';
import { seconds, systemClock } from '../src/lib/clock';
import { randomIds } from '../src/lib/ids';
import { createNodeFetch } from '../src/entry/node/http';
import { nodeEngine } from '../src/entry/node/engine';
import { createProcessDatabase, dropDatabases } from '../tests/support/db';
import { writeAllianceFiles } from '../tests/support/alliance';
import { freePort } from '../tests/support/http';
import { loadOptionsFromEnv, runAlternating, type LoadOptions, type Shot } from './lib/load';
import { envInt, loadAverage, machineFacts } from './lib/report';
import { buildRegistries, type BenchRegistry } from './lib/registry-alliance';
import { resultTable, verdict } from './lib/scale-report';
import { spawnGateway, type SpawnedGateway } from './lib/gateway-spawn';
import { startWatchdog } from './lib/watchdog';
import { benchVerify, timeSnapshot, tokensFor, type VerifySide } from './lib/verify-scale';

const SIZE = envInt('BENCH_REGISTRY_MEMBERS', 500);
const VERIFY_N = envInt('BENCH_VERIFY_ITERATIONS', 20_000);
const TARGET = 0.95;
const WATCHDOG_MS = 280_000;
const SELF = 'beta';
const PING = '/federation/v1/ping';
const load = loadOptionsFromEnv({ concurrency: 16, durationMs: 8_000, maxRequests: 15_000, rounds: 8 });
const warmup: LoadOptions = { ...load, durationMs: 1_000, maxRequests: 2_000, rounds: 1 };
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function describe(name: string, r: BenchRegistry): string {
  const statuses = Object.entries(r.statuses).map(([k, v]) => `${v} ${k}`).join(', ');
  return `${name.padEnd(6)} ${r.members} members, ${r.keys} keys (${statuses}); ${r.senders.length} usable keys of active senders`;
}

async function main() {
  const watchdog = startWatchdog(WATCHDOG_MS);
  console.log('cloud-handshake registry scale benchmark');
  for (const line of machineFacts()) console.log(line);
  const nowSec = seconds(systemClock);
  let t0 = performance.now();
  const { alliance, anchors, big, small } = await buildRegistries({ size: SIZE, self: SELF, selfEndpoint: 'http://127.0.0.1:9/beta', nowSec });
  console.log(`\nregistries signed by one anchor in ${((performance.now() - t0) / 1000).toFixed(1)} s (${big.keys + 1} Ed25519 keys generated):`);
  console.log(describe('small', small));
  console.log(describe('big', big));
  for (const [name, r] of [['small', small], ['big', big]] as const) {
    const s = await timeSnapshot(r, anchors, nowSec, 5);
    console.log(`  taking the ${name} snapshot (${(s.bytes / 1024).toFixed(0)} KiB): verifyRegistry ${s.verifyMs.toFixed(1)} ms, buildKeyIndex ${s.indexMs.toFixed(2)} ms (median of 5; at start and at each refresh)`);
  }

  // (a) In this process: verifyRequest against each key index, each engine.
  const base = 'http://127.0.0.1:9/beta';
  console.log(`\n(a) verifyRequest in process: ${VERIFY_N} per side in 20 alternating blocks (the order reversed every other block), median block;`);
  console.log('    tokens from every usable sender key in turn, each side with its own engine (key cache) warmed with every token');
  for (const [name, make] of [['node:crypto engine (Node gateway)', nodeEngine], ['jose engine (Workers gateway)', () => joseEngine(new KeyCache())]] as const) {
    const signer = nodeEngine();
    const smallTokens = await tokensFor(small, SELF, base, nowSec, signer, 200);
    // The third side tells the index's size from the spread of kids: the big index, the small's four senders.
    const sides = [
      { reg: small, tokens: smallTokens, engine: make() },
      { reg: big, tokens: await tokensFor(big, SELF, base, nowSec, signer, 200), engine: make() },
      { reg: big, tokens: smallTokens, engine: make() },
    ];
    const [s, b, b4] = await benchVerify(sides, { self: SELF, base, nowSec, n: VERIFY_N, blocks: 20 });
    const line = (label: string, r: VerifySide) => `    ${label.padEnd(34)}${r.us.toFixed(1).padStart(7)} µs/verify (${String(Math.round(1e6 / r.us)).padStart(5)}/s, cpu ${r.cpuUs.toFixed(1)} µs) over ${r.kids} kids`;
    console.log(`  ${name}`);
    console.log(line('small index', s!));
    console.log(line('big index, senders spread over it', b!));
    console.log(line('big index, the small\'s senders', b4!));
    const ratio = s!.us / b!.us;
    console.log(`    throughput big/small = ${pct(ratio)}   target >= ${pct(TARGET)}   ${verdict(ratio >= TARGET)}   (big index, same senders: ${pct(s!.us / b4!.us)})`);
  }

  // (b) Through two gateway processes, one per registry.
  const admin = process.env.DATABASE_URL;
  const files = writeAllianceFiles(alliance, big.token);
  const smallRegistry = join(files.dir, 'registry-small.jwt');
  writeFileSync(smallRegistry, small.token);
  const dbs: string[] = [];
  const gateways: SpawnedGateway[] = [];
  const http = createNodeFetch();
  // Once, whoever asks first (the run's end or the watchdog); the other waits for the same promise.
  let tearing: Promise<void> | null = null;
  const teardown = () => (tearing ??= (async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await http.close();
    if (admin) await dropDatabases(admin, dbs);
    await rm(files.dir, { recursive: true, force: true });
  })());
  watchdog.cleanup(teardown);
  try {
    const start = async (name: 'small' | 'big', registry: string) => {
      const env: Record<string, string> = {
        HANDSHAKE_MEMBER_ID: SELF, HANDSHAKE_SIGNING_KEY: files.keyFile(SELF),
        HANDSHAKE_ANCHOR_JWKS: files.anchorJwks, HANDSHAKE_REGISTRY: registry, HANDSHAKE_DATA_DIR: join(files.dir, `data-${name}`),
      };
      if (admin) {
        const db = await createProcessDatabase(admin, `hs_bench_registry_${name}`);
        dbs.push(db.name);
        env.DATABASE_URL = db.url;
      }
      // The gateway checks htu against its public URL: its port is chosen here so the URL is known before it starts.
      env.PORT = String(await freePort());
      env.HANDSHAKE_PUBLIC_URL = `http://127.0.0.1:${env.PORT}`;
      const began = performance.now();
      const g = await spawnGateway(env);
      gateways.push(g);
      return { g, startS: (performance.now() - began) / 1000 };
    };
    const sg = await start('small', smallRegistry);
    const bg = await start('big', files.registry);
    console.log(`\n(b) signed POST ${PING} through two gateway processes (member ${SELF}, as npm start runs it, LOG_LEVEL=warn),`);
    const mib = async (g: SpawnedGateway) => `${((await g.rssKiB()) / 1024).toFixed(0)} MiB`;
    console.log(`    database ${admin ? 'PostgreSQL (DATABASE_URL, a fresh database each)' : 'PGlite files (DATABASE_URL not set)'}; started in ${sg.startS.toFixed(1)} s (small) and ${bg.startS.toFixed(1)} s (big),`);
    console.log(`    RSS once started: small ${await mib(sg.g)}, big ${await mib(bg.g)}`);
    console.log(`    load: ${load.concurrency} concurrent over one keep-alive undici Agent, ${load.durationMs} ms per side in ${load.rounds} alternating slices after a ${warmup.durationMs} ms warm-up,`);
    console.log(`    at most ${load.maxRequests} per side; requests signed before the run by every usable sender key in turn, every answer verified`);

    const shotFor = async (reg: BenchRegistry, g: SpawnedGateway): Promise<Shot> => {
      const engine = nodeEngine();
      const url = g.url + PING;
      const pool: { token: string; jti: string; iss: string }[] = [];
      for (let i = 0; i < load.maxRequests + warmup.maxRequests; i++) {
        const s = reg.senders[i % reg.senders.length]!;
        const { token, claims } = await signRequest(s.signer, { iss: s.memberId, aud: SELF, method: 'POST', url, body: new Uint8Array() }, systemClock, randomIds, engine);
        pool.push({ token, jti: claims.jti, iss: s.memberId });
      }
      pool.reverse(); // pop() then takes them in signing order: consecutive requests from different senders
      return async () => {
        const next = pool.pop();
        if (!next) return false;
        const res = await http.fetch(url, { method: 'POST', headers: { accept: 'application/json', 'handshake-request': next.token } });
        const body = new Uint8Array(await res.arrayBuffer());
        if (res.status !== 200) throw new Error(`${res.status} ${new TextDecoder().decode(body).slice(0, 200)}`);
        const v = await verifyResponse({ token: res.headers.get('handshake-response'), status: res.status, body, requestJti: next.jti },
          { registry: reg.index, selfId: next.iss, nowSec: seconds(systemClock), engine });
        return v.claims.iss === SELF;
      };
    };
    t0 = performance.now();
    const shots = [await shotFor(small, sg.g), await shotFor(big, bg.g)];
    console.log(`    (${2 * (load.maxRequests + warmup.maxRequests)} requests signed in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
    await runAlternating(shots, warmup);
    const serverCpu = async () => (await sg.g.cpuUs()) + (await bg.g.cpuUs());
    const [rs, rb] = await runAlternating(shots, { ...load, serverCpu });
    for (const line of resultTable([[`small registry (${small.members} members, ${small.keys} keys)`, rs!], [`big registry (${big.members} members, ${big.keys} keys)`, rb!]])) console.log(line);
    const ratio = rb!.perSecond / rs!.perSecond;
    console.log(`throughput big/small = ${pct(ratio)}   target >= ${pct(TARGET)}   ${verdict(ratio >= TARGET)}`);
    console.log(`p50 big/small = ${(rb!.p50Ms / rs!.p50Ms).toFixed(2)}x, p99 ${(rb!.p99Ms / rs!.p99Ms).toFixed(2)}x; server cpu per request big/small = ${(rb!.serverCpuUsPerRequest / rs!.serverCpuUsPerRequest).toFixed(2)}x`);
    console.log(`(server µs: CPU of both gateway processes per good request; the idle one adds its timers only)`);
    console.log(`gateway RSS after the run: small ${await mib(sg.g)}, big ${await mib(bg.g)} (garbage not yet collected counts: compare the RSS once started)`);
    console.log(`loadavg  ${loadAverage()} (after the run)`);
  } finally {
    await teardown();
    watchdog.clear();
  }
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
