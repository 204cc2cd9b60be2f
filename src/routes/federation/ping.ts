import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../../context';
import { idempotent } from '../middleware/idempotent';
import { signed } from '../middleware/signed';
import { parseJsonBody } from '../middleware/body';

/** `POST /federation/v1/ping`: a connection test answering `{member, at}`. */
export function registerPing(app: Hono<AppEnv>, deps: Deps) {
  app.post('/federation/v1/ping', signed(deps, 'ping', { maxBody: 16 * 1024 }), idempotent(deps, { required: false }), (c) => {
    const body = c.get('rawBody');
    // A ping needs no body; when one is sent it must at least be JSON.
    if (body.byteLength > 0) parseJsonBody(body, c.req.header('content-type') ?? null);
    return c.json({ member: deps.self.memberId, at: new Date(deps.clock.now()).toISOString() });
  });
}
