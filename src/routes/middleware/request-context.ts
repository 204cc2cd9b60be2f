import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { AppEnv, Deps } from '../../context';
import { lazyChild } from '../../lib/logger';

/** A request id for every answer, and one structured log line per request. */
export function requestContext(deps: Pick<Deps, 'ids' | 'logger' | 'clock'>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = deps.clock.now();
    const requestId = deps.ids.make('rq');
    c.set('requestId', requestId);
    c.set('log', lazyChild(deps.logger, { requestId }));
    await next();
    c.header('X-Request-Id', requestId);
    deps.logger.info({
      requestId, member: c.get('peer')?.memberId, clerk: c.get('clerk')?.id, method: c.req.method, route: routePath(c, -1), status: c.res.status,
      durationMs: deps.clock.now() - started,
    }, 'request');
  });
}
