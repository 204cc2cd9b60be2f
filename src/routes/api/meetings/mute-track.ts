import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { meetingCtxOf } from '../../../services/meetings/meeting-ctx';
import { muteTrack } from '../../../services/meetings/moderate';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { meetingConflict, muteAnswerSchema, muteBodySchema, participantParams, videoUnavailable } from './schema';

/** `POST /api/v1/meetings/{id}/participants/{identity}/mute`: a clerk of the case mutes one published track. */
export function registerMuteTrack(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/meetings/{id}/participants/{identity}/mute', operationId: 'muteMeetingTrack', tags: ['meetings'],
    summary: "Mute a participant's published track", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling'] })] as const,
    request: { params: participantParams, body: { required: true, content: { 'application/json': { schema: muteBodySchema } } } },
    responses: {
      200: { description: 'the track is muted', content: { 'application/json': { schema: muteAnswerSchema } } },
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
    return c.json(await muteTrack({ ctx, input: { clerk: c.get('clerk'), meetingId: id, identity, trackSid: c.req.valid('json').trackSid } }), 200);
  });
}
