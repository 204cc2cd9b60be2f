import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../../context';
import { listOfferedItems } from '../../services/catalog/offered-items';
import { signed } from '../middleware/signed';

/** `GET /federation/v1/items`: what this member accepts as handling member, with catalog details. */
export function registerItems(app: Hono<AppEnv>, deps: Deps) {
  app.get('/federation/v1/items', signed(deps, 'items', { maxBody: 0 }), async (c) => {
    const items = await listOfferedItems({
      ctx: { catalog: deps.catalog, logger: c.get('log') },
      input: { registry: deps.registry.current(), memberId: deps.self.memberId, at: new Date(deps.clock.now()) },
    });
    return c.json(items);
  });
}
