import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { registerEvidenceBundle } from './evidence-bundle';
import { registerPostCaseEvent } from './events-post';
import { registerGetCaseTimeline } from './events-timeline';

/** The clerk's side of §7.2: recording events on this member's cases and reading their timelines. */
export function registerCaseEventRoutes(api: OpenAPIHono<AppEnv>, deps: Deps) {
  registerPostCaseEvent(api, deps);
  registerGetCaseTimeline(api, deps);
  registerEvidenceBundle(api, deps);
}
