import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { meetingCtxOf } from '../../../services/meetings/meeting-ctx';
import { startMeeting } from '../../../services/meetings/start-meeting';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { caseMeetingsParams, meetingConflict, startedMeetingSchema, videoUnavailable } from './schema';

/** `POST /api/v1/cases/{ref}/meetings`: a clerk of the case starts a cloud meeting (云见面). */
export function registerStartMeeting(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/cases/{ref}/meetings', operationId: 'startMeeting', tags: ['meetings'],
    summary: 'Start a cloud meeting for a case: the room, the clerk\'s token, an invitation to the other member', security: CLERK_SECURITY,
    description: 'The applicant waits until admitted (`POST /api/v1/meetings/{id}/admit`). The meeting closes at `endsAt`, after a warning at `warnAt`.',
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling'] })] as const,
    request: { params: caseMeetingsParams },
    responses: {
      201: { description: 'the meeting and the starting clerk\'s token', content: { 'application/json': { schema: startedMeetingSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: { ...roleProblem, description: "a supervisor, or a clerk of the case's other role (`not_authorized`)" },
      404: notFound,
      409: { ...meetingConflict, description: 'the case already has an open meeting (`invalid_transition`)' },
      503: videoUnavailable,
    },
  });
  api.openapi(route, async (c) => {
    const ctx = meetingCtxOf(deps);
    const { ref } = c.req.valid('param');
    return c.json(await startMeeting({ ctx, input: { clerk: c.get('clerk'), ref } }), 201);
  });
}
