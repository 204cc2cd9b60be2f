import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { joinInvitation } from '../../../services/meetings/invitations/clerk-invitations';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound } from '../schema';
import { invitationParams, joinAnswerSchema } from './schema';

/** `POST /api/v1/meeting-invitations/{id}/join`: the first clerk to join takes the invitation and its token. */
export function registerJoinInvitation(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/meeting-invitations/{id}/join', operationId: 'joinMeetingInvitation', tags: ['meetings'],
    summary: "Join another member's cloud meeting: the LiveKit URL, room and token", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { params: invitationParams },
    responses: {
      200: { description: 'what the LiveKit client needs; the token is handed out this once', content: { 'application/json': { schema: joinAnswerSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      404: notFound,
      409: { ...notFound, description: 'another clerk (or this one) took the invitation already, or it expired (`invalid_transition`)' },
    },
  });
  api.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const answer = await joinInvitation({ ctx: { db: deps.database.db, clock: deps.clock, sealer: deps.sealer }, input: { clerk: c.get('clerk'), id } });
    c.header('cache-control', 'no-store');
    return c.json(answer, 200);
  });
}
