import { generateKeyPairSync, sign, verify, webcrypto } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { signRequest, signResponse } from '../../src/federation/envelope/sign';
import { verifyRequest, verifyResponse, type VerifyContext } from '../../src/federation/envelope/verify';
import { seconds, systemClock } from '../../src/lib/clock';
import { utf8 } from '../../src/lib/encoding';
import { bodyDigest } from '../../src/federation/engine';
import { randomIds } from '../../src/lib/ids';
import type { Actor } from './servers';

const PING_PATH = '/federation/v1/ping';

export interface CryptoRow {
  name: string;
  usPerOp: number;
}

export interface CryptoResult {
  iterations: number;
  blocks: number;
  /** Median over the blocks of the mean wall time per iteration. */
  envelopeUs: number;
  rawUs: number;
  /** CPU time of the process (every thread, so the WebCrypto thread pool too) per iteration. */
  envelopeCpuUs: number;
  rawCpuUs: number;
  requestSigningInputBytes: number;
  responseSigningInputBytes: number;
  breakdown: CryptoRow[];
}

/** Mean µs per call of `fn` over `n` sequential calls, after `warm` unmeasured ones. */
async function time(fn: () => unknown, n: number, warm: number): Promise<number> {
  for (let i = 0; i < warm; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - t0) * 1000) / n;
}

const BLOCKS = 10;

/**
 * Runs `a` and `b` in turn, BLOCKS times, `n / BLOCKS` iterations each time, so that outside load
 * that comes and goes hits both alike. Returns the median block's wall µs and the CPU µs per iteration.
 */
async function timePair(a: () => unknown, b: () => unknown, n: number): Promise<{ wall: number; cpu: number }[]> {
  const per = Math.max(1, Math.round(n / BLOCKS));
  const walls: number[][] = [[], []];
  const cpus = [0, 0];
  for (let block = 0; block < BLOCKS; block++) {
    for (const [i, fn] of [a, b].entries()) {
      const cpu0 = process.cpuUsage();
      walls[i]!.push(await time(fn, per, 0));
      const cpu = process.cpuUsage(cpu0);
      cpus[i]! += cpu.user + cpu.system;
    }
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  return [0, 1].map((i) => ({ wall: median(walls[i]!), cpu: cpus[i]! / (per * BLOCKS) }));
}

const ctxOf = (g: Actor): VerifyContext => ({
  registry: g.registry.current(), selfId: g.memberId, nowSec: seconds(systemClock), engine: g.engine,
});

/**
 * What one signed ping costs in envelope work on both sides (alpha signs the request, beta verifies it
 * and signs its answer, alpha verifies the answer) against raw node:crypto Ed25519 doing the same
 * 2 signs + 2 verifies over signing inputs of the same size.
 */
export async function benchCrypto(alpha: Actor, beta: Actor, betaUrl: string, n: number): Promise<CryptoResult> {
  const empty = new Uint8Array();
  const answerBody = utf8(JSON.stringify({ member: 'beta', at: new Date().toISOString() }));
  const steps = {
    signRequest: () => signRequest(alpha.signer, { iss: 'alpha', aud: 'beta', method: 'POST', url: betaUrl + PING_PATH, body: empty }, systemClock, randomIds, alpha.engine),
    verifyRequest: (token: string) => verifyRequest({ token, method: 'POST', publicBase: betaUrl, pathAndQuery: PING_PATH, body: empty }, ctxOf(beta)),
    signResponse: (jti: string) => signResponse(beta.signer, { iss: 'beta', aud: 'alpha', requestJti: jti, status: 200, body: answerBody }, systemClock, randomIds, beta.engine),
    verifyResponse: (token: string, jti: string) => verifyResponse({ token, status: 200, body: answerBody, requestJti: jti }, ctxOf(alpha)),
  };
  const round = async () => {
    const req = await steps.signRequest();
    await steps.verifyRequest(req.token);
    const resToken = await steps.signResponse(req.claims.jti);
    await steps.verifyResponse(resToken, req.claims.jti);
    return { req: req.token, res: resToken, jti: req.claims.jti };
  };
  const sample = await round();
  const signingInput = (t: string) => Buffer.from(t.slice(0, t.lastIndexOf('.')));
  const reqData = signingInput(sample.req);
  const resData = signingInput(sample.res);

  const raw = generateKeyPairSync('ed25519');
  const reqSig = sign(null, reqData, raw.privateKey);
  const resSig = sign(null, resData, raw.privateKey);
  const rawRound = () => {
    const a = sign(null, reqData, raw.privateKey);
    const ok1 = verify(null, reqData, raw.publicKey, a);
    const b = sign(null, resData, raw.privateKey);
    const ok2 = verify(null, resData, raw.publicKey, b);
    if (!ok1 || !ok2) throw new Error('raw Ed25519 did not verify');
  };
  const warm = Math.min(500, n);
  const m = Math.max(1, Math.round(n / 5));
  await time(round, warm, 0);
  await time(rawRound, warm, 0);
  const [envelope, rawPair] = await timePair(round, rawRound, n);

  // Where the envelope time goes (a fifth of the iterations): each step alone, and the primitives jose calls underneath.
  const subtleKeys = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const subtleSig = await webcrypto.subtle.sign('Ed25519', subtleKeys.privateKey, reqData);
  const breakdown: CryptoRow[] = [
    { name: 'envelope signRequest', usPerOp: await time(steps.signRequest, m, warm) },
    { name: 'envelope verifyRequest', usPerOp: await time(() => steps.verifyRequest(sample.req), m, warm) },
    { name: 'envelope signResponse', usPerOp: await time(() => steps.signResponse(sample.jti), m, warm) },
    { name: 'envelope verifyResponse', usPerOp: await time(() => steps.verifyResponse(sample.res, sample.jti), m, warm) },
    { name: 'node:crypto sign (request size)', usPerOp: await time(() => sign(null, reqData, raw.privateKey), m, warm) },
    { name: 'node:crypto verify (request size)', usPerOp: await time(() => verify(null, reqData, raw.publicKey, reqSig), m, warm) },
    { name: 'node:crypto verify (response size)', usPerOp: await time(() => verify(null, resData, raw.publicKey, resSig), m, warm) },
    { name: 'crypto.subtle sign Ed25519 (as jose)', usPerOp: await time(() => webcrypto.subtle.sign('Ed25519', subtleKeys.privateKey, reqData), m, warm) },
    { name: 'crypto.subtle verify Ed25519 (as jose)', usPerOp: await time(() => webcrypto.subtle.verify('Ed25519', subtleKeys.publicKey, subtleSig, reqData), m, warm) },
    { name: 'bodyDigest (the gateway engine\'s SHA-256)', usPerOp: await time(() => bodyDigest(beta.engine, answerBody), m, warm) },
  ];
  return {
    iterations: n, blocks: BLOCKS, breakdown,
    envelopeUs: envelope!.wall, rawUs: rawPair!.wall, envelopeCpuUs: envelope!.cpu, rawCpuUs: rawPair!.cpu,
    requestSigningInputBytes: reqData.byteLength, responseSigningInputBytes: resData.byteLength,
  };
}
