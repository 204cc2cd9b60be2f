import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { meetingCtxOf } from '../../../services/meetings/meeting-ctx';
import { startRecording } from '../../../services/meetings/start-recording';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { meetingConflict, meetingParams, meetingSchema, videoUnavailable } from './schema';

/** `POST /api/v1/meetings/{id}/recording`: record the meeting, once, with every party's consent. */
export function registerStartRecording(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/meetings/{id}/recording', operationId: 'startMeetingRecording', tags: ['meetings'],
    summary: 'Start recording the meeting (room composite); its result joins the case\'s record when it ends', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling'] })] as const,
    request: { params: meetingParams },
    responses: {
      202: { description: 'the recording is starting', content: { 'application/json': { schema: meetingSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: { ...roleProblem, description: "a supervisor, or a clerk of the case's other role (`not_authorized`)" },
      404: notFound,
      409: { ...meetingConflict, description: 'a party has not consented, the meeting was already recorded, or it is closed (`invalid_transition`)' },
      503: videoUnavailable,
    },
  });
  api.openapi(route, async (c) => {
    const ctx = meetingCtxOf(deps);
    return c.json(await startRecording({ ctx, input: { clerk: c.get('clerk'), meetingId: c.req.valid('param').id } }), 202);
  });
}
