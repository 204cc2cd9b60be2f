import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { registerCloseComplaint } from './close-complaint';
import { registerCreateComplaint } from './create-complaint';
import { registerGetComplaint } from './get-complaint';
import { registerListComplaints } from './list-complaints';
import { registerReplyComplaint } from './reply-complaint';

/** Complaints (投诉): received from any channel, answered within working days, escalated when not. */
export function registerComplaintRoutes(api: OpenAPIHono<AppEnv>, deps: Deps) {
  registerCreateComplaint(api, deps);
  registerListComplaints(api, deps);
  registerGetComplaint(api, deps);
  registerReplyComplaint(api, deps);
  registerCloseComplaint(api, deps);
}
