import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryStore } from '../../src/federation/registry/store';
import { urlRegistrySource } from '../../src/federation/registry/url-source';
import { systemClock } from '../../src/lib/clock';
import { silentLogger } from '../../src/lib/logger';
import { createTestAlliance, type TestAlliance } from '../support/alliance';
import { listen } from '../support/http';

let alliance: TestAlliance;
let server: Awaited<ReturnType<typeof listen>>;
let served: { status: number; body: string };

beforeAll(async () => {
  alliance = await createTestAlliance([{ id: 'alpha', endpoint: 'https://alpha.test' }]);
  served = { status: 200, body: await alliance.sign(7, Math.floor(Date.now() / 1000)) };
  server = await listen(() => new Response(served.body, { status: served.status, headers: { 'content-type': 'application/jwt' } }));
});

afterAll(() => server?.close());

const store = () => new RegistryStore({
  anchors: alliance.anchors, source: urlRegistrySource(`${server.url}/registry.jwt`, fetch),
  repository: { latest: async () => null, save: async () => {} }, clock: systemClock, logger: silentLogger,
});

describe('registry from an http(s) URL', () => {
  it('takes a snapshot served at the configured URL', async () => {
    const s = store();
    expect(await s.start()).toEqual({ outcome: 'taken', seq: 7 });
    expect(s.current()!.members.has('alpha')).toBe(true);
  });

  it('an HTTP error leaves the last good snapshot and says why', async () => {
    const s = store();
    await s.start();
    served = { status: 503, body: 'down' };
    expect(await s.refresh()).toMatchObject({ outcome: 'unreachable', seq: 7, reason: expect.stringContaining('HTTP 503') });
    expect(s.current()!.seq).toBe(7);
  });
});
