import { performance } from 'node:perf_hooks';
import { signRequest } from '../../src/federation/envelope/sign';
import { verifyRequest } from '../../src/federation/envelope/verify';
import type { JwsEngine } from '../../src/federation/engine';
import { buildKeyIndex } from '../../src/federation/registry/key-index';
import { verifyRegistry, type AnchorKeys } from '../../src/federation/registry/verify';
import { fixedClock } from '../../src/lib/clock';
import { randomIds } from '../../src/lib/ids';
import type { BenchRegistry } from './registry-alliance';

const PATH = '/federation/v1/ping';
/** The kid of a compact JWS's protected header. */
const kidOf = (token: string) => (JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString()) as { kid: string }).kid;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One registry's side: its tokens, verified with its own engine. */
export interface VerifyInput {
  reg: BenchRegistry;
  tokens: string[];
  engine: JwsEngine;
}

export interface VerifySide {
  /** Median block's wall µs per verifyRequest, and this process's CPU µs per call over all blocks. */
  us: number;
  cpuUs: number;
  kids: number;
  tokens: number;
}

/**
 * Request tokens from every sender of `reg` in turn (one per sender key, at least `min`), all signed at
 * `nowSec` for `aud` at `base`: verified with that same `nowSec`, they never expire during the run.
 */
export async function tokensFor(reg: BenchRegistry, aud: string, base: string, nowSec: number, engine: JwsEngine, min: number): Promise<string[]> {
  const clock = fixedClock(nowSec * 1000);
  const n = Math.max(min, reg.senders.length);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = reg.senders[i % reg.senders.length]!;
    out.push((await signRequest(s.signer, { iss: s.memberId, aud, method: 'POST', url: base + PATH, body: new Uint8Array() }, clock, randomIds, engine)).token);
  }
  return out;
}

/**
 * verifyRequest (§3.1 steps 1-8, what the gateway's `signed` middleware runs) against the key index of
 * each registry, tokens from senders spread over it. The sides take turns for `blocks` blocks so outside
 * load hits both alike; `n` verifications per side in all. Each side has its own engine (its own key
 * cache), as each gateway would.
 */
export async function benchVerify(sides: VerifyInput[], opts: { self: string; base: string; nowSec: number; n: number; blocks: number }): Promise<VerifySide[]> {
  const per = Math.max(1, Math.round(opts.n / opts.blocks));
  const run = async (side: VerifyInput, count: number, offset: number) => {
    const ctx = { registry: side.reg.index, selfId: opts.self, nowSec: opts.nowSec, engine: side.engine };
    for (let i = 0; i < count; i++) {
      const token = side.tokens[(offset + i) % side.tokens.length]!;
      await verifyRequest({ token, method: 'POST', publicBase: opts.base, pathAndQuery: PATH, body: new Uint8Array() }, ctx);
    }
  };
  // Warm-up: every token once, so each engine has imported every key it will meet (as a gateway that has run a while).
  for (const side of sides) await run(side, side.tokens.length, 0);
  const walls: number[][] = sides.map(() => []);
  const cpus = sides.map(() => 0);
  for (let b = 0; b < opts.blocks; b++) {
    // Every other block the other way round, so no side always follows the same one (its garbage, its cache).
    const order = [...sides.entries()];
    if (b % 2) order.reverse();
    for (const [i, side] of order) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await run(side, per, b * per);
      walls[i]!.push(((performance.now() - t0) * 1000) / per);
      const cpu = process.cpuUsage(cpu0);
      cpus[i]! += cpu.user + cpu.system;
    }
  }
  return sides.map((side, i) => ({ us: median(walls[i]!), cpuUs: cpus[i]! / (per * opts.blocks), kids: new Set(side.tokens.map(kidOf)).size, tokens: side.tokens.length }));
}

/** What taking a snapshot costs (verifyRegistry: anchor signature, schema, every kid's thumbprint; then buildKeyIndex), median of `rounds`. */
export async function timeSnapshot(reg: BenchRegistry, anchors: AnchorKeys, nowSec: number, rounds: number): Promise<{ verifyMs: number; indexMs: number; bytes: number }> {
  const v: number[] = [];
  const x: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const snapshot = await verifyRegistry(reg.token, anchors, nowSec, null);
    const t1 = performance.now();
    buildKeyIndex(snapshot);
    v.push(t1 - t0);
    x.push(performance.now() - t1);
  }
  return { verifyMs: median(v), indexMs: median(x), bytes: reg.token.length };
}
