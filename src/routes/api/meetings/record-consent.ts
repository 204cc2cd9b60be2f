import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { recordConsent } from '../../../services/meetings/consent';
import { meetingCtxOf } from '../../../services/meetings/meeting-ctx';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY } from '../schema';
import { consentBodySchema, meetingParams, meetingSchema, meetingWriteProblems } from './schema';

/** `POST /api/v1/meetings/{id}/consent`: a clerk of the case records one party's consent to the recording. */
export function registerRecordConsent(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'post', path: '/api/v1/meetings/{id}/consent', operationId: 'recordMeetingConsent', tags: ['meetings'],
    summary: "Record a party's consent to the recording (every party must consent before it starts)", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps, { roles: ['intake', 'handling'] })] as const,
    request: { params: meetingParams, body: { required: true, content: { 'application/json': { schema: consentBodySchema } } } },
    responses: {
      200: { description: 'the meeting with the consent', content: { 'application/json': { schema: meetingSchema } } },
      ...meetingWriteProblems,
    },
  });
  api.openapi(route, async (c) => {
    const ctx = meetingCtxOf(deps);
    const input = { clerk: c.get('clerk'), meetingId: c.req.valid('param').id, identity: c.req.valid('json').identity };
    return c.json(await recordConsent({ ctx, input }), 200);
  });
}
