/**
 * The benchmark's server process: one member gateway exactly as `npm start` runs it (runGateway, the
 * node:crypto engine, pino at LOG_LEVEL), and in the same process the unsigned baseline, a plain Hono
 * route on its own port. Prints one `READY {...}` line; `GET /plain/cpu` reports this process's CPU time.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { parseConfig } from '../../src/config';
import { runGateway } from '../../src/entry/node';
import { createNodeLogger } from '../../src/entry/node/logger';
import { resolveMember } from '../../src/entry/node/resolve';

async function main() {
  const config = parseConfig(process.env);
  const logger = createNodeLogger(config.logLevel);
  const running = await runGateway(await resolveMember(config, Math.floor(Date.now() / 1000)), config, logger);
  const plain = new Hono();
  plain.post('/plain/ping', (c) => c.json({ member: config.member!.memberId, at: new Date().toISOString() }));
  plain.get('/plain/cpu', (c) => {
    const cpu = process.cpuUsage();
    return c.json({ cpuUs: cpu.user + cpu.system });
  });
  const server = serve({ fetch: plain.fetch, port: 0, hostname: '127.0.0.1' }, () => {
    console.log(`READY ${JSON.stringify({ gateway: running.port, plain: (server.address() as AddressInfo).port })}`);
  });
  process.once('SIGTERM', () => {
    server.close();
    void running.stop().then(() => process.exit(0));
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
