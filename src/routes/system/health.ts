import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../../context';
import { AppError } from '../../lib/errors';

/** `GET /health`: the process answers. `GET /ready`: the database answers and the registry is fresh. */
export function registerHealth(app: Hono<AppEnv>, deps: Deps) {
  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get('/ready', async (c) => {
    const problems: { path: string; message: string }[] = [];
    try {
      await deps.database.ping();
    } catch {
      problems.push({ path: 'database', message: 'not reachable' });
    }
    const registry = deps.registry.status();
    if (registry.seq === null) problems.push({ path: 'registry', message: 'no snapshot loaded' });
    else if (registry.expired) problems.push({ path: 'registry', message: `snapshot seq ${registry.seq} expired; no fresh one could be taken` });
    if (problems.length) throw new AppError('upstream_unavailable', `not ready: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, { errors: problems });
    return c.json({
      status: 'ready',
      registrySeq: registry.seq,
      registryExpiresAt: registry.expiresAt === null ? null : new Date(registry.expiresAt * 1000).toISOString(),
    });
  });
}
