import { performance } from 'node:perf_hooks';
import { percentile, type Shot } from './load';

export interface OpenLoopOptions {
  /** Arrivals per second, whatever the answers do (an open loop: a slow answer does not slow the next arrival). */
  ratePerSec: number;
  /** Total time per shot, split evenly over the rounds. */
  durationMs: number;
  /** The shots take turns this many times, so outside load that comes and goes hits them alike. */
  rounds: number;
  /** `poisson`: exponential gaps (bursts as independent callers make them); `even`: one every 1/rate s. */
  arrivals: 'poisson' | 'even';
  /** An arrival that finds this many requests still open is not sent and counts as dropped (a failure). */
  maxInFlight: number;
}

export interface OpenLoopResult {
  scheduled: number;
  ok: number;
  failures: number;
  dropped: number;
  /** Good answers per second of slice time (the slice ends when its last answer is in). */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** How late, on average, the generator sent an arrival after its scheduled time (timer granularity, a busy CPU). */
  meanSendLagMs: number;
  firstError: string | null;
}

interface Tally { latencies: number[]; scheduled: number; failures: number; dropped: number; elapsedMs: number; lagMs: number; firstError: string | null }

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One slice of an open loop. Latency runs from an arrival's **scheduled** time to its answer, so a stall
 * of the server (or of this generator) shows up in the figures instead of silently delaying the next
 * requests (coordinated omission).
 */
async function runSlice(shot: Shot, t: Tally, o: OpenLoopOptions, ms: number): Promise<void> {
  const started = performance.now();
  const end = started + ms;
  const gap = () => (o.arrivals === 'even' ? 1000 / o.ratePerSec : -Math.log(1 - Math.random()) * (1000 / o.ratePerSec));
  const open = new Set<Promise<void>>();
  let next = started + gap();
  while (next < end) {
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
    const now = performance.now();
    // Every arrival whose time has come goes now (the timer may have woken late).
    while (next <= now && next < end) {
      const scheduled = next;
      next += gap();
      t.scheduled++;
      if (open.size >= o.maxInFlight) { t.dropped++; t.failures++; continue; }
      t.lagMs += now - scheduled;
      const p: Promise<void> = shot().then((ok) => {
        if (ok) t.latencies.push(performance.now() - scheduled);
        else t.failures++;
      }, (e: unknown) => {
        t.failures++;
        t.firstError ??= e instanceof Error ? e.message : String(e);
      }).finally(() => open.delete(p));
      open.add(p);
    }
  }
  await Promise.all(open);
  t.elapsedMs += performance.now() - started;
}

/** Runs the shots in turn at the same arrival rate, `rounds` times, and reports each over all of its slices. */
export async function runOpenLoop(shots: Shot[], o: OpenLoopOptions, beforeSlice?: (shot: number) => Promise<void>): Promise<OpenLoopResult[]> {
  const tallies: Tally[] = shots.map(() => ({ latencies: [], scheduled: 0, failures: 0, dropped: 0, elapsedMs: 0, lagMs: 0, firstError: null }));
  const slice = o.durationMs / o.rounds;
  for (let round = 0; round < o.rounds; round++) {
    for (const [i, shot] of shots.entries()) {
      await beforeSlice?.(i);
      await runSlice(shot, tallies[i]!, o, slice);
    }
  }
  return tallies.map((t) => {
    const sorted = t.latencies.sort((a, b) => a - b);
    const sent = t.scheduled - t.dropped;
    return {
      scheduled: t.scheduled, ok: sorted.length, failures: t.failures, dropped: t.dropped,
      perSecond: (sorted.length / t.elapsedMs) * 1000,
      p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted.at(-1) ?? Number.NaN,
      meanSendLagMs: sent ? t.lagMs / sent : Number.NaN, firstError: t.firstError,
    };
  });
}

/** One table row: rate, p50, p99, max, ok/scheduled, failures. */
export function openLoopRow(name: string, r: OpenLoopResult, width = 44): string {
  const n = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '-').padStart(9);
  return `${name.padEnd(width)}${n(r.perSecond, 1)}${n(r.p50Ms, 2)}${n(r.p99Ms, 2)}${n(r.maxMs, 1)}${`${r.ok}/${r.scheduled}`.padStart(12)}${String(r.failures).padStart(7)}${n(r.meanSendLagMs, 2)}`;
}

export function openLoopHead(width = 44): string {
  return `${''.padEnd(width)}${'ok/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}${'ok/sched'.padStart(12)}${'failed'.padStart(7)}${'lag ms'.padStart(9)}`;
}
