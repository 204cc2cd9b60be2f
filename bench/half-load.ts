/**
 * `npm run bench:half-load`: what the signed exchange adds to a request's latency at half of the maximum
 * load, in an open loop (arrivals at a fixed rate, latency from each arrival's scheduled time, so a stall is
 * counted instead of hidden). (a) One gateway process: its maximum signed throughput (closed loop, as
 * bench:federation), then signed ping and the unsigned Hono route in the same process at half that rate,
 * alternating, with a third row on PostgreSQL: one durable commit on the gateway's database at the same
 * rate, the floor of what a write kept before answering costs there. (b) The case pipeline: a 64 KiB
 * case's transfer gateway -> gateway -> standard sandbox against the standard adapter's submitCase
 * straight to the sandbox, at half of the pipeline's maximum.
 * Informational: exits 0 whatever the figures. Loopback only; a watchdog bounds the run.
 */
import postgres from 'postgres';
import { signRequest } from '../src/federation/envelope/sign';
import { verifyResponse } from '../src/federation/envelope/verify';
import { createStandardAdapter } from '../adapters/standard/index';
import { seconds, systemClock } from '../src/lib/clock';
import { randomIds } from '../src/lib/ids';
import { silentLogger } from '../src/lib/logger';
import { createNodeFetch } from '../src/entry/node/http';
import { applicantName, clerkApi, startPipeline, submissionOf, watchArrivals, xihaikePartner } from './lib/case-pipeline';
import { runAlternating, type Shot } from './lib/load';
import { openLoopHead, openLoopRow, runOpenLoop, type OpenLoopOptions, type OpenLoopResult } from './lib/open-loop';
import { envInt, loadAverage, machineFacts } from './lib/report';
import { startServerProcess } from './lib/servers';
import { startWatchdog } from './lib/watchdog';

const PERCENT = envInt('BENCH_LOAD_PERCENT', 50);
const ARRIVALS: OpenLoopOptions['arrivals'] = process.env.BENCH_ARRIVALS === 'even' ? 'even' : 'poisson';
const PARTS = process.env.BENCH_PART ?? 'ab';
const TARGET = { p50: 1.5, p99: 10 };
const WATCHDOG_MS = 540_000;
const PING = '/federation/v1/ping';
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const failures = (name: string, r: OpenLoopResult) => (r.failures ? [`  ${name}: ${r.failures} failed (${r.dropped} dropped at the in-flight cap), first error: ${r.firstError ?? 'non-2xx or unverified answer'}`] : []);

async function partA(http: ReturnType<typeof createNodeFetch>, watchdog: ReturnType<typeof startWatchdog>) {
  const closed = { concurrency: envInt('BENCH_CONCURRENCY', 16), durationMs: envInt('BENCH_MAX_MS', 6_000), rounds: 3, maxRequests: 30_000 };
  const open = { durationMs: envInt('BENCH_OPEN_MS', 20_000), rounds: envInt('BENCH_ROUNDS', 5) };
  const server = await startServerProcess();
  watchdog.cleanup(() => server.close());
  const { alpha } = server;
  try {
    const url = server.gatewayUrl + PING;
    const verify = async (res: Response, jti: string) => {
      const body = new Uint8Array(await res.arrayBuffer());
      const v = await verifyResponse({ token: res.headers.get('handshake-response'), status: res.status, body, requestJti: jti },
        { registry: alpha.registry.current(), selfId: 'alpha', nowSec: seconds(systemClock), engine: alpha.engine });
      return res.status === 200 && v.claims.iss === 'beta';
    };
    const sign = () => signRequest(alpha.signer, { iss: 'alpha', aud: 'beta', method: 'POST', url, body: new Uint8Array() }, systemClock, randomIds, alpha.engine);
    const unsigned: Shot = async () => {
      const res = await http.fetch(`${server.plainUrl}/plain/ping`, { method: 'POST', headers: { accept: 'application/json' } });
      await res.arrayBuffer();
      return res.status === 200;
    };
    // The maximum: pre-signed requests (as bench:federation), so the sender's signing does not compete for the CPU.
    const pool: { token: string; jti: string }[] = [];
    for (let i = 0; i < closed.maxRequests + 3_000; i++) { const s = await sign(); pool.push({ token: s.token, jti: s.claims.jti }); }
    const presigned: Shot = async () => {
      const next = pool.pop();
      if (!next) return false;
      return verify(await http.fetch(url, { method: 'POST', headers: { accept: 'application/json', 'handshake-request': next.token } }), next.jti);
    };
    await runAlternating([presigned], { ...closed, durationMs: 1_000, rounds: 1, maxRequests: 3_000 });
    const [max] = await runAlternating([presigned], closed);
    pool.length = 0;
    const rate = (max!.perSecond * PERCENT) / 100;
    // At half load each request is signed when it is sent and its answer verified, both timed: what a caller sees.
    const signed: Shot = async () => {
      const s = await sign();
      return verify(await http.fetch(url, { method: 'POST', headers: { accept: 'application/json', 'handshake-request': s.token } }), s.claims.jti);
    };
    const opts: OpenLoopOptions = { ratePerSec: rate, durationMs: open.durationMs, rounds: open.rounds, arrivals: ARRIVALS, maxInFlight: 256 };
    // The floor under the target: one durable commit on the gateway's own database, at the same rate.
    const probe = server.databaseUrl ? await commitProbe(server.databaseUrl) : null;
    const shots = probe ? [unsigned, signed, probe.shot] : [unsigned, signed];
    await runOpenLoop(shots, { ...opts, durationMs: 2_000, rounds: 1 });
    const [u, s, f] = await runOpenLoop(shots, opts).finally(() => probe?.close());
    const addP50 = s!.p50Ms - u!.p50Ms;
    const addP99 = s!.p99Ms - u!.p99Ms;
    console.log(`(a) one gateway process (member beta, ${server.driver === 'postgres' ? 'PostgreSQL' : 'PGlite'}), the unsigned route a plain Hono app in the same process`);
    console.log(`    maximum signed: ${max!.perSecond.toFixed(0)} req/s closed loop (${closed.concurrency} workers, ${closed.durationMs} ms in ${closed.rounds} slices, pre-signed; p50 ${max!.p50Ms.toFixed(1)} ms, ${max!.failures} failed)`);
    console.log(`    open loop at ${PERCENT}%: ${rate.toFixed(0)} arrivals/s (${ARRIVALS}) on each route, ${open.durationMs} ms per route in ${open.rounds} alternating slices;`);
    console.log('    signed requests signed at send time, every answer verified (both timed)');
    console.log(openLoopHead());
    console.log(openLoopRow('unsigned  POST /plain/ping', u!));
    console.log(openLoopRow('signed    POST /federation/v1/ping', s!));
    if (f) console.log(openLoopRow('floor     one PostgreSQL commit', f));
    console.log(`added latency p50 = ${addP50.toFixed(2)} ms   target <= ${TARGET.p50} ms   ${verdict(addP50 <= TARGET.p50)}`);
    console.log(`added latency p99 = ${addP99.toFixed(2)} ms   target <= ${TARGET.p99} ms   ${verdict(addP99 <= TARGET.p99)}`);
    if (f) {
      console.log(`one commit alone, at this rate: p50 ${f.p50Ms.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms; a signed exchange waits for two in series`);
      console.log('(the request kept as evidence, its jti claimed beside it; then the answer kept before it leaves)');
    }
    for (const line of [...failures('unsigned', u!), ...failures('signed', s!), ...(f ? failures('floor', f) : [])]) console.log(line);
    console.log('');
  } finally {
    await server.close();
  }
}

/**
 * One single-row insert, committed (synchronous_commit as the server has it), into a scratch table of
 * the gateway's database: the least a durable write costs there, timed like the requests.
 */
async function commitProbe(url: string): Promise<{ shot: Shot; close(): Promise<void> }> {
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  await sql`create table if not exists bench_commit_probe (id bigserial primary key, at timestamptz not null, pad text not null)`;
  const pad = 'x'.repeat(600); // about a signed token's size
  return {
    shot: async () => { await sql`insert into bench_commit_probe (at, pad) values (now(), ${pad})`; return true; },
    close: () => sql.end(),
  };
}

async function partB(http: ReturnType<typeof createNodeFetch>, admin: string, watchdog: ReturnType<typeof startWatchdog>) {
  const closed = { concurrency: envInt('BENCH_CASE_CONCURRENCY', 8), maxCases: envInt('BENCH_CASE_MAX_CASES', 120) };
  const open = { durationMs: envInt('BENCH_CASE_OPEN_MS', 15_000), rounds: envInt('BENCH_CASE_ROUNDS', 3) };
  // Status polls once a day: callbacks carry the states, and open cases piling up do not add polls as the run goes on.
  const p = await startPipeline(admin, { HANDSHAKE_BACKOFFICE_POLL_SECONDS: '86400' });
  watchdog.cleanup(() => p.close());
  const arrivals = watchArrivals(p, 2);
  try {
    const clerk = clerkApi(p, http.fetch);
    let n = 0;
    let prepared = 0;
    const prepare = async (count: number) => {
      const out: { ref: string; name: string }[] = [];
      let left = count;
      prepared += count;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (left > 0) { left--; const i = n++; out.push({ ref: await clerk.prepare(i), name: applicantName(i) }); }
      }));
      return out;
    };
    let ready: { ref: string; name: string }[] = [];
    const viaGateways: Shot = async () => {
      const c = ready.pop();
      if (!c) throw new Error('no prepared case left');
      await clerk.transfer(c.ref);
      await arrivals.waitFor(c.name);
      return true;
    };
    const t0 = performance.now();
    ready = await prepare(closed.maxCases + 8);
    const prepSeconds = (performance.now() - t0) / 1000;
    await runAlternating([viaGateways], { concurrency: closed.concurrency, durationMs: 60_000, rounds: 1, maxRequests: 8 });
    const [max] = await runAlternating([viaGateways], { concurrency: closed.concurrency, durationMs: 60_000, rounds: 1, maxRequests: closed.maxCases });
    const rate = (max!.perSecond * PERCENT) / 100;
    const opts: OpenLoopOptions = { ratePerSec: rate, durationMs: open.durationMs, rounds: open.rounds, arrivals: ARRIVALS, maxInFlight: 256 };
    // Enough cases for the open loop's gateway side, with room for Poisson's bursts.
    ready = await prepare(Math.ceil(rate * (open.durationMs / 1000) * 1.3) + 10);
    const adapter = createStandardAdapter({ partner: xihaikePartner(p.sandbox.url), fetch: http.fetch, clock: systemClock, logger: silentLogger, secret: () => 'bench-api-key' });
    const submissions = Array.from({ length: ready.length }, (_, i) => submissionOf(i));
    const direct: Shot = async () => {
      const s = submissions.pop();
      if (!s) throw new Error('no prepared submission left');
      await adapter.submitCase(s);
      return true;
    };
    const [d, g] = await runOpenLoop([direct, viaGateways], opts);
    const add = { p50: g!.p50Ms - d!.p50Ms, p99: g!.p99Ms - d!.p99Ms };
    console.log('(b) the case pipeline: gaoxin and xihaike in their own processes (PostgreSQL), the standard sandbox in this one');
    console.log(`    ${prepared} cases taken in beforehand (create + 5 materials, 64 KiB), untimed: ${((closed.maxCases + 8) / prepSeconds).toFixed(1)} cases/s with 8 clerks`);
    console.log(`    maximum: ${max!.perSecond.toFixed(1)} cases/s transfer -> in the back office, closed loop (${closed.concurrency} at once, ${max!.requests} cases; p50 ${max!.p50Ms.toFixed(0)} ms, ${max!.failures} failed)`);
    console.log(`    open loop at ${PERCENT}%: ${rate.toFixed(1)} arrivals/s (${ARRIVALS}) on each side, ${open.durationMs} ms per side in ${open.rounds} alternating slices;`);
    console.log('    gateway side timed from its scheduled time to the case in the sandbox (seen within 2 ms); direct: submitCase answered');
    console.log(openLoopHead());
    console.log(openLoopRow('direct   adapter.submitCase -> sandbox', d!));
    console.log(openLoopRow('gateway  transfer -> gateway -> back office', g!));
    console.log(`added by the federation hop: p50 ${add.p50.toFixed(1)} ms, p99 ${add.p99.toFixed(1)} ms (gateway/direct: p50 ${(g!.p50Ms / d!.p50Ms).toFixed(1)}x, p99 ${(g!.p99Ms / d!.p99Ms).toFixed(1)}x)`);
    console.log(`  against the exchange targets (p50 <= ${TARGET.p50} ms, p99 <= ${TARGET.p99} ms): ${verdict(add.p50 <= TARGET.p50)} / ${verdict(add.p99 <= TARGET.p99)} (a transfer is a signed exchange plus the case's own work on both sides)`);
    for (const line of [...failures('direct', d!), ...failures('gateway', g!)]) console.log(line);
    console.log('');
  } finally {
    arrivals.stop();
    await p.close();
  }
}

async function main() {
  const watchdog = startWatchdog(WATCHDOG_MS);
  const http = createNodeFetch();
  try {
    console.log('cloud-handshake half-load benchmark (open loop)');
    for (const line of machineFacts()) console.log(line);
    console.log('');
    if (PARTS.includes('a')) await partA(http, watchdog);
    const admin = process.env.DATABASE_URL;
    if (PARTS.includes('b')) {
      if (admin) await partB(http, admin, watchdog);
      else console.log('(b) skipped: the case pipeline needs PostgreSQL (DATABASE_URL)');
    }
    console.log(`loadavg  ${loadAverage()} (after the run)`);
  } finally {
    await http.close();
    watchdog.clear();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
