import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freeLoopbackPort, portIsFree } from '../../src/entry/node/free-port';
import { listen } from '../support/http';

// Ports for processes that listen later (test gateways, the dev alliance's PORT=0) come from below the
// ephemeral range, so an outgoing connection made meanwhile (to PostgreSQL, say) cannot take them: a browser
// test once failed with EADDRINUSE on a port picked by listen(0) a few seconds before its gateway bound it.

const RANGE = '/proc/sys/net/ipv4/ip_local_port_range';
const ephemeralStart = existsSync(RANGE) ? Number(readFileSync(RANGE, 'utf8').trim().split(/\s+/)[0]) : 32_768;

describe('freeLoopbackPort', () => {
  it('gives ports between 20000 and the ephemeral range, free now, the requested number in a row', async () => {
    for (let i = 0; i < 20; i++) {
      const base = await freeLoopbackPort(3);
      expect(base).toBeGreaterThanOrEqual(20_000);
      expect(base + 2).toBeLessThan(ephemeralStart);
      for (const p of [base, base + 1, base + 2]) expect(await portIsFree(p), `port ${p}`).toBe(true);
    }
  });

  it('a port someone listens on is not free', async () => {
    const held = await listen(() => new Response());
    try {
      expect(await portIsFree(held.port)).toBe(false);
    } finally {
      await held.close();
    }
  });
});
