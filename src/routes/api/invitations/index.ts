import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { registerJoinInvitation } from './join-invitation';
import { registerListInvitations } from './list-invitations';

/** Invitations from other members to this member's clerks (§7.3): listed, and joined by one clerk. */
export function registerInvitationRoutes(api: OpenAPIHono<AppEnv>, deps: Deps) {
  registerListInvitations(api, deps);
  registerJoinInvitation(api, deps);
}
