import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { meetingCtxOf } from '../../../services/meetings/meeting-ctx';
import { muteTrack } from '../../../services/meetings/moderate';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY } from '../schema';
import { muteAnswerSchema, muteBodySchema, participantParams, meetingWriteProblems } from './schema';

/** `POST /api/v1/meetings/{id}/participants/{identity}/mute`: a clerk of the case mutes one published track. */
export function registerMuteTrack(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/meetings/{id}/participants/{identity}/mute', operationId: 'muteMeetingTrack', tags: ['meetings'],
    summary: "Mute a participant's published track", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling'] })] as const,
    request: { params: participantParams, body: { required: true, content: { 'application/json': { schema: muteBodySchema } } } },
    responses: {
      200: { description: 'the track is muted', content: { 'application/json': { schema: muteAnswerSchema } } },
      ...meetingWriteProblems,
    },
  });
  api.openapi(route, async (c) => {
    const ctx = meetingCtxOf(deps);
    const { id, identity } = c.req.valid('param');
    return c.json(await muteTrack({ ctx, input: { clerk: c.get('clerk'), meetingId: id, identity, trackSid: c.req.valid('json').trackSid } }), 200);
  });
}
