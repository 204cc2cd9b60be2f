/**
 * `npm run bench:federation`: signed pings through a gateway process (as `npm start` runs it) against an
 * unsigned Hono route in the same process and run, and the envelope's crypto against raw node:crypto
 * Ed25519. Informational: exits 0 whatever the figures. Loopback only; bounded in time and count.
 */
import { signRequest } from '../src/federation/envelope/sign';
import { verifyResponse } from '../src/federation/envelope/verify';
import { seconds, systemClock } from '../src/lib/clock';
import { randomIds } from '../src/lib/ids';
import { createNodeFetch } from '../src/entry/node/http';
import { benchCrypto } from './lib/crypto';
import { loadOptionsFromEnv, runAlternating, type LoadOptions, type Shot } from './lib/load';
import { cryptoTable, envInt, loadAverage, loadTable, machineFacts } from './lib/report';
import { startServerProcess } from './lib/servers';

const THROUGHPUT_TARGET = 0.5;
const CRYPTO_TARGET = 1.5;
const WATCHDOG_MS = 240_000;
const PING = '/federation/v1/ping';


const load = loadOptionsFromEnv({ concurrency: 16, durationMs: 5_000, maxRequests: 30_000, rounds: 5 });
const warmup: LoadOptions = { ...load, durationMs: 1_000, maxRequests: 5_000, rounds: 1 };
const cryptoIterations = envInt('BENCH_CRYPTO_ITERATIONS', 5_000);

async function main() {
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${WATCHDOG_MS / 1000} s, giving up`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();

  const http = createNodeFetch();
  const server = await startServerProcess();
  const { alpha } = server;
  try {
    console.log('cloud-handshake federation benchmark');
    for (const line of machineFacts()) console.log(line);
    console.log(`database ${server.driver === 'postgres' ? 'PostgreSQL (DATABASE_URL, a fresh database)' : 'PGlite files (DATABASE_URL not set)'}`);
    console.log(`server   member beta in its own process, as npm start runs it (node:crypto engine, LOG_LEVEL=warn);`);
    console.log(`         the unsigned baseline is a plain Hono route in that same process`);
    console.log(`load     ${load.concurrency} concurrent over one keep-alive undici Agent; ${load.durationMs} ms per side after a ${warmup.durationMs} ms warm-up,`);
    console.log(`         in ${load.rounds} alternating slices; at most ${load.maxRequests} requests per side. Signed requests are`);
    console.log(`         signed just before the run (valid 60 s, each its own jti), every answer's signature is verified.`);
    console.log('');

    // Signing happens here, untimed, so the sender's crypto does not compete with the gateway for the CPU.
    const url = server.gatewayUrl + PING;
    const pool: { token: string; jti: string }[] = [];
    for (let i = 0; i < load.maxRequests + warmup.maxRequests; i++) {
      const { token, claims } = await signRequest(alpha.signer, { iss: 'alpha', aud: 'beta', method: 'POST', url, body: new Uint8Array() }, systemClock, randomIds, alpha.engine);
      pool.push({ token, jti: claims.jti });
    }
    const unsigned: Shot = async () => {
      const res = await http.fetch(`${server.plainUrl}/plain/ping`, { method: 'POST', headers: { accept: 'application/json' } });
      await res.arrayBuffer();
      return res.status === 200;
    };
    const signed: Shot = async () => {
      const next = pool.pop();
      if (!next) return false;
      const res = await http.fetch(url, { method: 'POST', headers: { accept: 'application/json', 'handshake-request': next.token } });
      const body = new Uint8Array(await res.arrayBuffer());
      const v = await verifyResponse({ token: res.headers.get('handshake-response'), status: res.status, body, requestJti: next.jti },
        { registry: alpha.registry.current(), selfId: 'alpha', nowSec: seconds(systemClock), engine: alpha.engine });
      return res.status === 200 && v.claims.iss === 'beta';
    };
    await runAlternating([unsigned, signed], warmup);
    const [unsignedResult, signedResult] = await runAlternating([unsigned, signed], { ...load, serverCpu: server.cpuUs });
    for (const line of loadTable(unsignedResult!, signedResult!, THROUGHPUT_TARGET)) console.log(line);
    console.log('');

    const c = await benchCrypto(alpha, server.beta, server.gatewayUrl, cryptoIterations);
    for (const line of cryptoTable(c, CRYPTO_TARGET)) console.log(line);
    console.log(`loadavg  ${loadAverage()} (after the run)`);
  } finally {
    await http.close();
    await server.close();
    clearTimeout(watchdog);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
