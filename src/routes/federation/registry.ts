import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../../context';
import { AppError } from '../../lib/errors';
import { signed } from '../middleware/signed';

/** `GET /federation/v1/registry`: the newest snapshot this gateway holds, as `application/jwt`. */
export function registerRegistry(app: Hono<AppEnv>, deps: Deps) {
  app.get('/federation/v1/registry', signed(deps, 'registry', { maxBody: 0 }), (c) => {
    const current = deps.registry.current();
    if (!current) throw new AppError('not_found', 'this gateway holds no registry snapshot');
    return c.body(current.snapshot.token, 200, { 'content-type': 'application/jwt' });
  });
}
