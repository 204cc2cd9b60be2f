import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { listInvitations } from '../../../services/meetings/invitations/clerk-invitations';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems } from '../schema';
import { invitationListSchema } from './schema';

/** `GET /api/v1/meeting-invitations`: other members' invitations to this member's clerks (§7.3). */
export function registerListInvitations(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/meeting-invitations', operationId: 'listMeetingInvitations', tags: ['meetings'],
    summary: "Invitations to other members' cloud meetings, pending ones first", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    responses: {
      200: { description: "the invitations of the cases this clerk may see (a supervisor's: all), never their tokens", content: { 'application/json': { schema: invitationListSchema } } },
      ...clerkProblems,
    },
  });
  api.openapi(route, async (c) => {
    const invitations = await listInvitations({ ctx: { db: deps.database.db, clock: deps.clock }, input: { clerk: c.get('clerk') } });
    return c.json({ invitations }, 200);
  });
}
