import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { meetingCtxOf } from '../../../services/meetings/meeting-ctx';
import { removeParticipant } from '../../../services/meetings/moderate';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY } from '../schema';
import { meetingSchema, participantParams, meetingWriteProblems } from './schema';

/** `POST /api/v1/meetings/{id}/participants/{identity}/remove`: a clerk of the case removes a participant. */
export function registerRemoveParticipant(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/meetings/{id}/participants/{identity}/remove', operationId: 'removeMeetingParticipant', tags: ['meetings'],
    summary: 'Remove a participant from the meeting', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling'] })] as const,
    request: { params: participantParams },
    responses: {
      200: { description: 'the meeting after it', content: { 'application/json': { schema: meetingSchema } } },
      ...meetingWriteProblems,
    },
  });
  api.openapi(route, async (c) => {
    const ctx = meetingCtxOf(deps);
    const { id, identity } = c.req.valid('param');
    return c.json(await removeParticipant({ ctx, input: { clerk: c.get('clerk'), meetingId: id, identity } }), 200);
  });
}
