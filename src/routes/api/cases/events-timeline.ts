import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { clerkCaseTimeline } from '../../../services/cases/clerk-events';
import { clerkAuth } from '../clerk-auth';
import { CLERK_SECURITY, clerkProblems, invalidRequest, notFound } from '../schema';
import { caseParams, timelineSchema } from './events-schema';

/** `GET /api/v1/cases/{ref}/timeline`: a case's events, for any clerk who may see the case (supervisors too). */
export function registerGetCaseTimeline(api: OpenAPIHono<AppEnv>, deps: Deps) {
  const route = createRoute({
    method: 'get', path: '/api/v1/cases/{ref}/timeline', operationId: 'getCaseTimeline', tags: ['cases'],
    summary: "A case's timeline", security: CLERK_SECURITY,
    middleware: [clerkAuth(deps)] as const,
    request: { params: caseParams },
    responses: {
      200: { description: 'the status and the events', content: { 'application/json': { schema: timelineSchema } } },
      400: invalidRequest,
      ...clerkProblems,
      404: notFound,
    },
  });
  api.openapi(route, async (c) => {
    const { ref } = c.req.valid('param');
    return c.json(await clerkCaseTimeline({ ctx: { db: deps.database.db }, input: { clerk: c.get('clerk'), ref } }), 200);
  });
}
