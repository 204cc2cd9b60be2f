import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange } from '../../adapters/common/http';
import { AdapterError } from '../../adapters/types';
import { createNodeFetch } from '../../src/entry/node/http';
import type { FetchLike } from '../../src/lib/http';
import { allianceFetch } from '../support/backoffice';
import { listen } from '../support/http';

// A partner that never answers must cost one timeout, even when the garbage collector runs while the call
// waits. A Request built between the caller and fetch loses its link to the caller's AbortSignal.timeout
// once that Request is collected (nodejs/node#55428): the call then hangs for good. The fault tests' fetch
// did exactly that, and hung a CI run for a minute under load.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: Awaited<ReturnType<typeof listen>>;
let url: string;
const node = createNodeFetch();

beforeAll(async () => {
  server = await listen(() => new Promise<Response>(() => { /* holds every request, unanswered */ }));
  url = `${server.url}/api/cases`;
});

afterAll(async () => {
  await server?.close();
  await node.close();
});

/** One exchange under a 300 ms timeout with collections while it waits; how it ended, and when. */
async function underGc(fetch: FetchLike): Promise<{ outcome: string; ms: number }> {
  const t0 = performance.now();
  const collect = setInterval(gc, 50);
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const giveUp = new Promise<string>((r) => { deadline = setTimeout(() => r('still waiting after 3 s'), 3_000); });
  try {
    const outcome = await Promise.race([
      exchange(fetch, url, { method: 'POST', body: '{}' }, 300, 'submit').then(() => 'answered', (e: unknown) => (e instanceof AdapterError ? `${e.kind}: ${e.message}` : String(e))),
      giveUp,
    ]);
    return { outcome, ms: performance.now() - t0 };
  } finally {
    clearInterval(collect);
    clearTimeout(deadline);
  }
}

describe('a call to a partner that never answers, with garbage collections while it waits', () => {
  it.each([
    ['the gateway\'s fetch (undici, keep-alive pool)', () => node.fetch],
    ['the tests\' alliance fetch (in-process gateways, else the network)', () => allianceFetch({})],
  ])('%s ends in a timeout at its deadline', async (_name, fetchOf) => {
    const r = await underGc(fetchOf());
    expect(r.outcome).toBe('timeout: submit: no answer within 300 ms');
    expect(r.ms).toBeGreaterThanOrEqual(290);
  });
});
