import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { registerGetItem } from './get-item';
import { registerSearchItems } from './search-items';

/** The catalog in force as clerks look items up: searched, and one by one with who offers it. */
export function registerItemRoutes(api: OpenAPIHono<AppEnv>, deps: Deps) {
  registerSearchItems(api, deps);
  registerGetItem(api, deps);
}
