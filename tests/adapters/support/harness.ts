import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { AdapterError, type AdapterContext, type AdapterErrorKind, type CaseSubmission } from '../../../adapters/types';
import { systemClock, type Clock } from '../../../src/lib/clock';
import { hex, sha256, utf8 } from '../../../src/lib/encoding';
import type { FetchLike } from '../../../src/lib/http';
import { silentLogger } from '../../../src/lib/logger';
import { partnerSchema, type PartnerConfig } from '../../../src/services/partners/schema';
import { listen } from '../../support/http';

/**
 * Fails the current test when anything rejects without a handler: adapters must turn every failure
 * into an AdapterError that reaches the caller. Call once at the top of a test file.
 */
export function failOnUnhandledRejections(): void {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => { seen.push(reason); };
  beforeAll(() => { process.on('unhandledRejection', listener); });
  afterAll(() => { process.off('unhandledRejection', listener); });
  afterEach(async () => {
    // Rejections are reported after the microtask queue drains: give them a turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const caught = seen.splice(0);
    expect(caught, 'unhandled rejections').toEqual([]);
  });
}

/** A partner config validated as the loader would (defaults applied). */
export const partnerConfig = (raw: unknown): PartnerConfig => partnerSchema.parse(raw);

export interface ContextOptions {
  partner: PartnerConfig;
  /** Environment variable name -> value, read through ctx.secret. */
  env?: Record<string, string>;
  clock?: Clock;
  fetch?: FetchLike;
}

export function adapterContext(o: ContextOptions): AdapterContext {
  const env = o.env ?? {};
  return {
    partner: o.partner, clock: o.clock ?? systemClock, logger: silentLogger,
    fetch: o.fetch ?? ((input, init) => fetch(input, init)),
    secret: (name) => (Object.hasOwn(env, name) ? env[name] : undefined),
  };
}

/** A fetch that counts calls and can be inspected (for tests of retries and shared refreshes). */
export function countingFetch(inner: FetchLike = (i, init) => fetch(i, init)) {
  const calls: { url: string; method: string }[] = [];
  const f: FetchLike = (input, init) => {
    calls.push({ url: input instanceof Request ? input.url : String(input), method: init?.method ?? 'GET' });
    return inner(input, init);
  };
  return { fetch: f, calls };
}

/** Expects `promise` to reject with an AdapterError of `kind`; returns it for further checks. */
export async function expectAdapterError(promise: Promise<unknown>, kind: AdapterErrorKind): Promise<AdapterError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, `expected AdapterError(${kind})`).toBeInstanceOf(AdapterError);
  expect((error as AdapterError).kind).toBe(kind);
  return error as AdapterError;
}

export async function material(requirement: string, text: string, mediaType = 'application/pdf'): Promise<CaseSubmission['materials'][number]> {
  const content = utf8(text);
  return { requirement, name: `${requirement}.pdf`, mediaType, size: content.byteLength, sha256: hex(await sha256(content)), content };
}

/** A complete submission for `itemCode`; override any part. */
export async function sampleSubmission(itemCode: string, overrides: Partial<CaseSubmission> = {}): Promise<CaseSubmission> {
  return {
    caseRef: 'cs_01J9ZK3M4N5P6Q7R8S9T0V1W2X', itemCode, mode: 'proxy_intake',
    applicant: { kind: 'person', name: '张三', idType: '111', idNumber: '370211199001011234', phone: '13800138000' },
    intake: { member: 'gaoxin', window: 'w-01', clerk: '李四', receivedAt: '2025-03-01T02:30:00.000Z' },
    materials: [await material('id-card', 'scan of the id card')],
    delivery: { method: 'post', address: '山东省青岛市黄岛区长江中路 1 号' },
    ...overrides,
  };
}

export interface ReceivedCallback { headers: Headers; body: Uint8Array }

/** A loopback endpoint that records what a sandbox posts to it, exactly as received. */
export async function callbackReceiver() {
  const received: ReceivedCallback[] = [];
  const server = await listen(async (req) => {
    received.push({ headers: req.headers, body: new Uint8Array(await req.arrayBuffer()) });
    return new Response(null, { status: 204 });
  });
  return { url: `${server.url}/callbacks`, received, close: server.close };
}
