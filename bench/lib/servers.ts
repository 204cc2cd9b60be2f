import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { systemClock } from '../../src/lib/clock';
import type { FetchLike } from '../../src/lib/http';
import type { Gateway } from '../../src/gateway';
import { createTestAlliance } from '../../tests/support/alliance';
import { createTestDatabase, type TestDatabase } from '../../tests/support/db';
import { startTestGateway } from '../../tests/support/gateway';
import { nodeEngine } from '../../src/entry/node/engine';

type Handler = (req: Request) => Response | Promise<Response>;

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1, port chosen by the OS, before the app exists: a gateway's registered endpoint
 * must name its port, so the handler is attached once the port is known.
 */
export async function listenLoopback(): Promise<Listening & { attach(handler: Handler): void }> {
  let handler: Handler = () => new Response('not ready', { status: 503 });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: (req) => handler(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    attach: (h) => { handler = h; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The baseline: the same JSON answer as the signed ping, from a plain Hono app with no middleware. */
export function createPlainApp(memberId: string): Hono {
  const app = new Hono();
  app.post('/plain/ping', (c) => c.json({ member: memberId, at: new Date().toISOString() }));
  return app;
}

export interface FederationPair {
  alpha: Gateway;
  beta: Gateway;
  betaUrl: string;
  driver: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/**
 * Sender `alpha` and receiver `beta`, each on its own fresh database, sharing one signed registry.
 * Only beta listens (on a real socket); alpha calls it through `fetch`.
 */
export async function startFederationPair(fetch: FetchLike): Promise<FederationPair> {
  const listening = await listenLoopback();
  const dbs: TestDatabase[] = [];
  try {
    const alliance = await createTestAlliance([
      { id: 'alpha', endpoint: 'http://127.0.0.1:9' },
      { id: 'beta', endpoint: listening.url },
    ]);
    const token = await alliance.sign(1, Math.floor(Date.now() / 1000) - 60);
    const start = async (memberId: string) => {
      const db = await createTestDatabase();
      dbs.push(db);
      // The engine the Node entry runs with, so the figures are those of npm start.
      return startTestGateway({ alliance, memberId, database: db.database, clock: systemClock, registry: () => token, fetch, engine: nodeEngine() });
    };
    const alpha = await start('alpha');
    const beta = await start('beta');
    listening.attach(beta.app.fetch);
    return {
      alpha, beta, betaUrl: listening.url, driver: dbs[0]!.database.driver,
      async close() {
        await listening.close();
        for (const db of dbs) await db.drop();
      },
    };
  } catch (e) {
    await listening.close();
    for (const db of dbs) await db.drop().catch(() => {});
    throw e;
  }
}
