import type { LoadResult } from './load';

const num = (v: number, digits: number, width = 10) => (Number.isFinite(v) ? v.toFixed(digits) : '-').padStart(width);

export const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

/** Load results side by side: throughput, latency, the server's CPU per good request, counts. */
export function resultTable(rows: [string, LoadResult][], nameWidth = 44): string[] {
  const head = `${''.padEnd(nameWidth)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'server µs'.padStart(12)}${'ok'.padStart(8)}${'failed'.padStart(7)}`;
  const lines = [head, ...rows.map(([name, r]) =>
    `${name.padEnd(nameWidth)}${num(r.perSecond, 0)}${num(r.p50Ms, 2)}${num(r.p99Ms, 2)}${num(r.serverCpuUsPerRequest, 0, 12)}${String(r.requests).padStart(8)}${String(r.failures).padStart(7)}`)];
  for (const [name, r] of rows) {
    if (r.failures) lines.push(`  ${name.trim()}: ${r.failures} failed, first error: ${r.firstError ?? 'non-2xx or unverified answer'}`);
  }
  return lines;
}

/**
 * Latency of queries on two databases measured in the same run, the ratio of the big one to the small
 * one, `n` (samples small/big) and `rows` (rows answered, small/big).
 */
export function latencyPairTable(rows: { name: string; small: LoadResult; big: LoadResult; target?: number; returned?: string }[], labels: [string, string], nameWidth = 40): string[] {
  const [s, b] = labels;
  const head = `${''.padEnd(nameWidth)}${`${s} p50`.padStart(10)}${`${s} p99`.padStart(10)}${`${b} p50`.padStart(10)}${`${b} p99`.padStart(10)}${'p50 x'.padStart(8)}${'p99 x'.padStart(8)}${'n'.padStart(9)}${'rows'.padStart(9)}`;
  const lines = [head];
  for (const r of rows) {
    const n = `${r.small.requests}/${r.big.requests}`;
    const mark = r.target === undefined ? '' : `  p99 < ${r.target} ms ${verdict(r.big.p99Ms < r.target)}`;
    lines.push(`${r.name.padEnd(nameWidth)}${num(r.small.p50Ms, 1)}${num(r.small.p99Ms, 1)}${num(r.big.p50Ms, 1)}${num(r.big.p99Ms, 1)}${num(r.big.p50Ms / r.small.p50Ms, 1, 8)}${num(r.big.p99Ms / r.small.p99Ms, 1, 8)}${n.padStart(9)}${(r.returned ?? '').padStart(9)}${mark}`);
  }
  return lines;
}
