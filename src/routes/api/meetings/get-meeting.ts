import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { getMeeting } from '../../../services/meetings/get-meeting';
import { meetingCtxOf } from '../../../services/meetings/meeting-ctx';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound } from '../schema';
import { meetingParams, meetingSchema, videoUnavailable } from './schema';

/** `GET /api/v1/meetings/{id}`: a meeting, for any clerk who may see its case (supervisors too). */
export function registerGetMeeting(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/meetings/{id}', operationId: 'getMeeting', tags: ['meetings'],
    summary: 'A cloud meeting: its participants, consents, limits and recording', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { params: meetingParams },
    responses: {
      200: { description: 'the meeting', content: { 'application/json': { schema: meetingSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      404: notFound,
      503: videoUnavailable,
    },
  });
  api.openapi(route, async (c) => {
    const ctx = meetingCtxOf(deps);
    return c.json(await getMeeting({ ctx, input: { clerk: c.get('clerk'), meetingId: c.req.valid('param').id } }), 200);
  });
}
