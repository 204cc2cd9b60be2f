import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { endMeeting } from '../../../services/meetings/end-meeting';
import { meetingCtxOf } from '../../../services/meetings/meeting-ctx';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { meetingConflict, meetingParams, meetingSchema, videoUnavailable } from './schema';

/** `POST /api/v1/meetings/{id}/end`: a clerk of the case ends the meeting; the room is deleted. */
export function registerEndMeeting(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/meetings/{id}/end', operationId: 'endMeeting', tags: ['meetings'],
    summary: 'End the meeting for everyone', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling'] })] as const,
    request: { params: meetingParams },
    responses: {
      200: { description: 'the closed meeting', content: { 'application/json': { schema: meetingSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: { ...roleProblem, description: "a supervisor, or a clerk of the case's other role (`not_authorized`)" },
      404: notFound,
      409: { ...meetingConflict, description: 'the meeting is already closed (`invalid_transition`)' },
      503: videoUnavailable,
    },
  });
  api.openapi(route, async (c) => {
    const ctx = meetingCtxOf(deps);
    return c.json(await endMeeting({ ctx, input: { clerk: c.get('clerk'), meetingId: c.req.valid('param').id } }), 200);
  });
}
