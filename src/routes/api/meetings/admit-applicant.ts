import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { admitApplicant } from '../../../services/meetings/admit-applicant';
import { meetingCtxOf } from '../../../services/meetings/meeting-ctx';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound, roleProblem } from '../schema';
import { joinTokenSchema, meetingConflict, meetingParams, videoUnavailable } from './schema';

/** `POST /api/v1/meetings/{id}/admit`: the waiting room opens for the applicant: their token, and only now. */
export function registerAdmitApplicant(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/meetings/{id}/admit', operationId: 'admitApplicant', tags: ['meetings'],
    summary: 'Admit the applicant from the waiting room: their token (camera and microphone only)', security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling'] })] as const,
    request: { params: meetingParams },
    responses: {
      200: { description: "the applicant's token, to hand to the applicant's device", content: { 'application/json': { schema: joinTokenSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      403: { ...roleProblem, description: "a supervisor, or a clerk of the case's other role (`not_authorized`)" },
      404: notFound,
      409: { ...meetingConflict, description: 'the meeting is closed, or the applicant was removed (`invalid_transition`)' },
      503: videoUnavailable,
    },
  });
  api.openapi(route, async (c) => {
    const ctx = meetingCtxOf(deps);
    return c.json(await admitApplicant({ ctx, input: { clerk: c.get('clerk'), meetingId: c.req.valid('param').id } }), 200);
  });
}
