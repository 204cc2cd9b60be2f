import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import type { AppEnv, Deps } from '../../context';
import { registerCaseEventRoutes } from './cases/events';
import { registerIntakeCaseRoutes } from './cases/intake';
import { registerComplaintRoutes } from './complaints/index';
import { registerEvaluationRoutes } from './evaluations/index';
import { registerInvitationRoutes } from './invitations/index';
import { registerItemRoutes } from './items/index';
import { registerGetMe } from './me/get-me';
import { registerMeetingRoutes } from './meetings/index';
import { registerListMembers } from './members/list-members';
import { registerListOutbox } from './outbox/list-outbox';
import { registerRetryOutbox } from './outbox/retry-outbox';
import { CLERK_SCHEME } from './schema';
import { registerShipmentRoutes } from './shipments/index';
import { registerStatisticsRoutes } from './statistics/index';
import { registerListOverdue } from './supervision/list-overdue';
import { asAppError, rejectInvalid } from './validation';
import { registerGetWindow } from './windows/get-window';
import { registerListWindows } from './windows/list-windows';

export const OPENAPI_PATH = '/api/v1/openapi.json';

/**
 * The clerk API (`/api/v1`): one file per operation under `<area>/`, each declaring its schema, its
 * answers and its roles; the OpenAPI 3.1 document is made from those declarations. Mount with
 * `app.route('/', createClerkApi(deps))`: paths are absolute, so the document lists them as served.
 */
export function createClerkApi(deps: Deps): OpenAPIHono<AppEnv> {
  const api = new OpenAPIHono<AppEnv>({ defaultHook: rejectInvalid });
  api.onError(asAppError);
  api.openAPIRegistry.registerComponent('securitySchemes', CLERK_SCHEME, {
    type: 'http', scheme: 'bearer', bearerFormat: 'hsk_<43 base64url characters>',
    description: "A clerk's token, issued once by `handshake clerk add` and revoked by `handshake clerk revoke`.",
  });

  registerGetMe(api, deps);
  registerListWindows(api, deps);
  registerGetWindow(api, deps);
  registerCaseEventRoutes(api, deps);
  registerIntakeCaseRoutes(api, deps);
  registerShipmentRoutes(api, deps);
  registerMeetingRoutes(api, deps);
  registerListOverdue(api, deps);
  registerListOutbox(api, deps);
  registerRetryOutbox(api, deps);
  registerInvitationRoutes(api, deps);
  registerComplaintRoutes(api, deps);
  registerStatisticsRoutes(api, deps);
  registerEvaluationRoutes(api, deps);
  registerItemRoutes(api, deps);
  registerListMembers(api, deps);

  api.doc31(OPENAPI_PATH, {
    openapi: '3.1.0',
    info: {
      title: `cloud-handshake clerk API (${deps.self.memberId})`, version: '1',
      description: 'For the clerks of this member\'s 跨域通办 windows. Errors are application/problem+json (handshake/1 §6).',
    },
  });
  api.get('/api/docs', swaggerUI({ url: OPENAPI_PATH, title: 'cloud-handshake clerk API', version: '5' }));
  return api;
}
