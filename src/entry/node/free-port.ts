import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Below this, well-known and registered service ports (PostgreSQL, Redis, NATS, RabbitMQ, 8080...). */
const LOWEST = 20_000;

/**
 * Where the kernel takes the local ports of outgoing connections (Linux: ip_local_port_range). A port that
 * is free now but inside it can be handed to a connection, to PostgreSQL say, before its process binds it.
 */
function ephemeralStart(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32_768;
  } catch {
    return 32_768; // Linux's default; elsewhere (macOS: 49152) lower is as safe
  }
}

/**
 * A loopback port free now, and `count - 1` more after it, for a process that will listen on them later
 * (the dev alliance's PORT=0; test and benchmark gateways). Chosen at random between 20000 and the ephemeral
 * range, where no outgoing connection takes its port meanwhile; from the kernel (listen on 0) when that range
 * is too small or taken.
 */
export async function freeLoopbackPort(count = 1): Promise<number> {
  const top = ephemeralStart() - count;
  for (let tries = 0; top > LOWEST + 100 && tries < 50; tries++) {
    const base = LOWEST + Math.floor(Math.random() * (top - LOWEST));
    if (await allFree(base, count)) return base;
  }
  for (;;) {
    const base = await kernelPort();
    if (base + count - 1 <= 65_535 && (await allFree(base + 1, count - 1))) return base;
  }
}

/** Whether `port` can be listened on at 127.0.0.1 now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function allFree(base: number, count: number): Promise<boolean> {
  for (let p = base; p < base + count; p++) if (!(await portIsFree(p))) return false;
  return true;
}

/** Listen on 0, read the port, close. */
function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
