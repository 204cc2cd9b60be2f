/**
 * `npm run bench:federation`: signed pings through two in-process gateways against an unsigned Hono
 * route, and the envelope's crypto against raw node:crypto Ed25519. Informational: exits 0 whatever
 * the figures. Loopback only; bounded in time and count.
 */
import { benchCrypto } from './lib/crypto';
import { runAlternating, type LoadOptions, type Shot } from './lib/load';
import { cryptoTable, loadAverage, loadTable, machineFacts } from './lib/report';
import { createPlainApp, listenLoopback, startFederationPair } from './lib/servers';
import { createNodeFetch } from '../src/entry/node/http';

const THROUGHPUT_TARGET = 0.5;
const CRYPTO_TARGET = 1.5;
const WATCHDOG_MS = 240_000;

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

const load: LoadOptions = {
  concurrency: int('BENCH_CONCURRENCY', 16),
  durationMs: int('BENCH_DURATION_MS', 5_000),
  maxRequests: int('BENCH_MAX_REQUESTS', 200_000),
  rounds: int('BENCH_ROUNDS', 5),
};
const warmup: LoadOptions = { ...load, durationMs: 1_000, maxRequests: 20_000, rounds: 1 };
const cryptoIterations = int('BENCH_CRYPTO_ITERATIONS', 5_000);

async function main() {
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${WATCHDOG_MS / 1000} s, giving up`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();

  // One keep-alive undici Agent (the gateway's own Node transport) carries both sides' requests.
  const http = createNodeFetch();
  const pair = await startFederationPair(http.fetch);
  const plain = await listenLoopback();
  plain.attach(createPlainApp('beta').fetch);
  try {
    console.log('cloud-handshake federation benchmark');
    for (const line of machineFacts()) console.log(line);
    console.log(`database ${pair.driver === 'postgres' ? 'PostgreSQL (DATABASE_URL, a fresh database per gateway)' : 'PGlite in memory (DATABASE_URL not set)'}`);
    console.log(`load     ${load.concurrency} concurrent over one keep-alive undici Agent; ${load.durationMs} ms per side after a ${warmup.durationMs} ms warm-up each,`);
    console.log(`         taken in ${load.rounds} alternating slices; at most ${load.maxRequests} requests per side`);
    console.log('');

    const unsigned: Shot = async () => {
      const res = await http.fetch(`${plain.url}/plain/ping`, { method: 'POST', headers: { accept: 'application/json' } });
      await res.arrayBuffer();
      return res.status === 200;
    };
    const signed: Shot = async () => {
      const answer = await pair.alpha.client.send({ to: 'beta', method: 'POST', path: '/federation/v1/ping' });
      return answer.status === 200 && answer.verified;
    };
    await runAlternating([unsigned, signed], warmup);
    const [unsignedResult, signedResult] = await runAlternating([unsigned, signed], load);
    for (const line of loadTable(unsignedResult!, signedResult!, THROUGHPUT_TARGET)) console.log(line);
    console.log('');

    const c = await benchCrypto(pair.alpha, pair.beta, pair.betaUrl, cryptoIterations);
    for (const line of cryptoTable(c, CRYPTO_TARGET)) console.log(line);
    console.log(`loadavg  ${loadAverage()} (after the run)`);
  } finally {
    await http.close();
    await plain.close();
    await pair.close();
    clearTimeout(watchdog);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
