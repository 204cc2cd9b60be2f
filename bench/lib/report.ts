import { cpus, loadavg, totalmem } from 'node:os';
import type { CryptoResult } from './crypto';
import type { LoadResult } from './load';

export function machineFacts(): string[] {
  const cpu = cpus();
  return [
    `cpu      ${cpu[0]?.model.trim() ?? 'unknown'}`,
    `cores    ${cpu.length} (os.cpus)`,
    `memory   ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `node     ${process.version} (${process.platform}/${process.arch})`,
    `loadavg  ${loadAverage()} (1/5/15 min, before the run: other processes share these cores)`,
  ];
}

/** A positive integer knob from the environment (`BENCH_CASES=500`), or the fallback when unset or not one. */
export function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

export const loadAverage = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

const pad = (s: string, n: number) => s.padEnd(n);
const num = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '-').padStart(10);
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

export function loadTable(unsigned: LoadResult, signed: LoadResult, target: number): string[] {
  const row = (name: string, r: LoadResult) =>
    `${pad(name, 34)}${num(r.perSecond, 0)}${num(r.p50Ms, 2)}${num(r.p99Ms, 2)}${num(r.serverCpuUsPerRequest, 0).padStart(12)}${String(r.requests).padStart(9)}${String(r.failures).padStart(7)}`;
  const ratio = signed.perSecond / unsigned.perSecond;
  const lines = [
    `${pad('', 34)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'server µs'.padStart(12)}${'ok'.padStart(9)}${'failed'.padStart(7)}`,
    row('unsigned  POST /plain/ping', unsigned),
    row('signed    POST /federation/v1/ping', signed),
    `throughput signed/unsigned = ${(ratio * 100).toFixed(1)}%   target >= ${(target * 100).toFixed(0)}%   ${verdict(ratio >= target)}`,
    `server cpu per request signed/unsigned = ${(signed.serverCpuUsPerRequest / unsigned.serverCpuUsPerRequest).toFixed(2)}x (the gateway process, all threads; PostgreSQL's own CPU not counted)`,
    `load generator cpu per request: unsigned ${unsigned.cpuUsPerRequest.toFixed(0)} µs, signed ${signed.cpuUsPerRequest.toFixed(0)} µs (verifying every answer)`,
  ];
  for (const [name, r] of [['unsigned', unsigned], ['signed', signed]] as const) {
    if (r.failures) lines.push(`  ${name}: ${r.failures} failed requests, first error: ${r.firstError ?? 'non-2xx or unverified answer'}`);
  }
  return lines;
}

export function cryptoTable(c: CryptoResult, target: number): string[] {
  const ratio = c.envelopeUs / c.rawUs;
  const row = (name: string, us: number) => `${pad(name, 50)}${num(us, 1)} µs`;
  const both = (name: string, wall: number, cpu: number) => `${row(name, wall)}  (cpu ${cpu.toFixed(1)} µs)`;
  return [
    `signing inputs: request ${c.requestSigningInputBytes} B, response ${c.responseSigningInputBytes} B; ${c.iterations} sequential iterations each,`,
    `taken in ${c.blocks} alternating blocks; wall time is the median block's, cpu counts every thread`,
    both('envelope: signReq + verifyReq + signResp + verifyResp', c.envelopeUs, c.envelopeCpuUs),
    both('node:crypto Ed25519: 2 sign + 2 verify', c.rawUs, c.rawCpuUs),
    `crypto envelope/raw = ${ratio.toFixed(2)}x wall, ${(c.envelopeCpuUs / c.rawCpuUs).toFixed(2)}x cpu   target <= ${target.toFixed(1)}x   ${verdict(ratio <= target)}`,
    'breakdown (per call):',
    ...c.breakdown.map((b) => row(`  ${b.name}`, b.usPerOp)),
  ];
}
