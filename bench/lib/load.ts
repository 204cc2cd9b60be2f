import { performance } from 'node:perf_hooks';
import { envInt } from './report';

/** One request of a load run; resolves true when the answer is good and fully read. */
export type Shot = () => Promise<boolean>;

export interface LoadOptions {
  concurrency: number;
  /** Total measured time per shot, split evenly over the rounds. */
  durationMs: number;
  /** Hard cap on requests issued per shot, whatever the duration. */
  maxRequests: number;
  /** The shots take turns this many times, so a burst of outside load hits them alike. */
  rounds: number;
  /** CPU time of the server process so far (µs), read before and after each slice. */
  serverCpu?: () => Promise<number>;
}

/** A closed loop's knobs from BENCH_CONCURRENCY, BENCH_DURATION_MS, BENCH_MAX_REQUESTS and BENCH_ROUNDS, else each bench's defaults. */
export function loadOptionsFromEnv(defaults: Pick<LoadOptions, 'concurrency' | 'durationMs' | 'maxRequests' | 'rounds'>): LoadOptions {
  return {
    concurrency: envInt('BENCH_CONCURRENCY', defaults.concurrency),
    durationMs: envInt('BENCH_DURATION_MS', defaults.durationMs),
    maxRequests: envInt('BENCH_MAX_REQUESTS', defaults.maxRequests),
    rounds: envInt('BENCH_ROUNDS', defaults.rounds),
  };
}

export interface LoadResult {
  requests: number;
  failures: number;
  elapsedMs: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of this whole process (every thread) per good request, in µs. */
  cpuUsPerRequest: number;
  /** CPU time of the server process per good request, in µs (NaN when not measured). */
  serverCpuUsPerRequest: number;
  firstError: string | null;
}

interface Tally {
  latencies: number[];
  issued: number;
  failures: number;
  elapsedMs: number;
  cpuUs: number;
  serverCpuUs: number;
  firstError: string | null;
}

/**
 * A closed loop: `concurrency` workers each issue the next request as soon as the previous one is
 * answered, until the slice's time or the request cap runs out.
 */
async function runSlice(shot: Shot, t: Tally, concurrency: number, ms: number, cap: number, serverCpu?: () => Promise<number>): Promise<void> {
  const server0 = serverCpu ? await serverCpu() : 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const deadline = started + ms;
  const worker = async () => {
    while (t.issued < cap && performance.now() < deadline) {
      t.issued++;
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await shot();
      } catch (e) {
        t.firstError ??= e instanceof Error ? e.message : String(e);
      }
      if (ok) t.latencies.push(performance.now() - t0);
      else t.failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  t.elapsedMs += performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  t.cpuUs += cpu.user + cpu.system;
  if (serverCpu) t.serverCpuUs += (await serverCpu()) - server0;
}

/** Runs the shots in turn, `rounds` times, and reports each over all of its slices. */
export async function runAlternating(shots: Shot[], opts: LoadOptions): Promise<LoadResult[]> {
  const tallies: Tally[] = shots.map(() => ({ latencies: [], issued: 0, failures: 0, elapsedMs: 0, cpuUs: 0, serverCpuUs: 0, firstError: null }));
  const slice = opts.durationMs / opts.rounds;
  for (let round = 0; round < opts.rounds; round++) {
    for (const [i, shot] of shots.entries()) await runSlice(shot, tallies[i]!, opts.concurrency, slice, opts.maxRequests, opts.serverCpu);
  }
  return tallies.map(summarize);
}

function summarize(t: Tally): LoadResult {
  const sorted = t.latencies.sort((a, b) => a - b);
  return {
    requests: sorted.length, failures: t.failures, elapsedMs: t.elapsedMs,
    perSecond: (sorted.length / t.elapsedMs) * 1000,
    p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99),
    cpuUsPerRequest: sorted.length ? t.cpuUs / sorted.length : Number.NaN,
    serverCpuUsPerRequest: sorted.length && t.serverCpuUs ? t.serverCpuUs / sorted.length : Number.NaN, firstError: t.firstError,
  };
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}
