import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { meetingCtxOf } from '../../../services/meetings/meeting-ctx';
import { removeParticipant } from '../../../services/meetings/moderate';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { meetingConflict, meetingSchema, participantParams, videoUnavailable } from './schema';

/** `POST /api/v1/meetings/{id}/participants/{identity}/remove`: a clerk of the case removes a participant. */
export function registerRemoveParticipant(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/meetings/{id}/participants/{identity}/remove', operationId: 'removeMeetingParticipant', tags: ['meetings'],
    summary: 'Remove a participant from the meeting', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling'] })] as const,
    request: { params: participantParams },
    responses: {
      200: { description: 'the meeting after it', content: { 'application/json': { schema: meetingSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: { ...roleProblem, description: "a supervisor, or a clerk of the case's other role (`not_authorized`)" },
      404: notFound,
      409: meetingConflict,
      503: videoUnavailable,
    },
  });
  api.openapi(route, async (c) => {
    const ctx = meetingCtxOf(deps);
    const { id, identity } = c.req.valid('param');
    return c.json(await removeParticipant({ ctx, input: { clerk: c.get('clerk'), meetingId: id, identity } }), 200);
  });
}
