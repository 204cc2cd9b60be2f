import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox as startSoap } from '../../adapters/soap-legacy/sandbox';
import { startSandbox as startStandard } from '../../adapters/standard/sandbox';
import { startSandbox as startXihaike } from '../../adapters/xihaike/sandbox';
import { startDemoSandboxes } from '../../src/entry/node/demo-sandboxes';
import { PARTNERS_DIR, readPartnerFiles } from '../../src/entry/node/partners';
import { partnerSchema } from '../../src/services/partners/schema';
import { listen } from '../support/http';

// A port someone else holds: a sandbox asked for it says so at once (it used to wait forever, the error
// left to the event loop), and the dev alliance starts its sandboxes elsewhere.

let taken: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  taken = await listen(() => new Response('someone else'));
});

afterAll(async () => {
  await taken?.close();
});

describe('a sandbox on a port already in use', () => {
  it.each([
    ['standard', () => startStandard({ port: taken.port })],
    ['xihaike', () => startXihaike({ port: taken.port })],
    ['soap-legacy', () => startSoap({ port: taken.port })],
  ])('%s refuses to start with EADDRINUSE', async (_name, start) => {
    await expect(start()).rejects.toMatchObject({ code: 'EADDRINUSE', port: taken.port });
  });

  it('the dev alliance starts a partner\'s sandbox on another port when the one in its file is taken', async () => {
    const files = readPartnerFiles(PARTNERS_DIR).map(({ json }) => partnerSchema.parse(json));
    const gaoxin = files.find((p) => p.member === 'gaoxin')!;
    const wanted = { ...gaoxin, backOffice: { ...gaoxin.backOffice, baseUrl: taken.url } };
    const secrets = new Map(Object.values(gaoxin.auth).map((name) => [name, `test-${name}`]));
    const [sandbox, ...rest] = await startDemoSandboxes([wanted], secrets, () => undefined);
    try {
      expect(rest).toEqual([]);
      expect(sandbox!.url).not.toBe(taken.url);
      expect(await (await fetch(`${sandbox!.url}/api/health`)).json()).toMatchObject({ status: 'ok' });
      expect(await (await fetch(`${taken.url}/api/health`)).text()).toBe('someone else');
    } finally {
      await sandbox?.close();
    }
  });
});
