import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { registerCreateCase } from './create-case';
import { registerGetCase } from './get-case';
import { registerGetCompleteness } from './get-completeness';
import { registerListCases } from './list-cases';
import { registerPostMaterial } from './post-material';
import { registerTransferCase } from './transfer-case';

/** The intake window's side of a case: take it in, gather its materials, transfer it (§7.1). */
export function registerIntakeCaseRoutes(api: OpenAPIHono<AppEnv>, deps: Deps) {
  registerCreateCase(api, deps);
  registerListCases(api, deps);
  registerGetCase(api, deps);
  registerPostMaterial(api, deps);
  registerGetCompleteness(api, deps);
  registerTransferCase(api, deps);
}
