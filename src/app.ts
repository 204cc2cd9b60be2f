import { Hono } from 'hono';
import type { AppEnv, Deps } from './context';
import { AppError, problemResponse } from './lib/errors';
import { createClerkApi } from './routes/api/index';
import { registerItems } from './routes/federation/items';
import { registerTransfer } from './routes/federation/cases/transfer';
import { registerCaseEvents } from './routes/federation/cases/events';
import { registerCaseStatus } from './routes/federation/cases/status';
import { registerEvaluations } from './routes/federation/evaluations';
import { registerMeetingInvitations } from './routes/federation/meetings';
import { registerPing } from './routes/federation/ping';
import { registerRegistry } from './routes/federation/registry';
import { registerLiveKitWebhook } from './routes/livekit/webhook';
import { registerBackOfficeCallbacks } from './routes/partners/callbacks';
import { requestContext } from './routes/middleware/request-context';
import { registerConsole } from './routes/console/serve-console';
import { registerHealth } from './routes/system/health';
import { registerWellKnown } from './routes/system/well-known';

/** The gateway's HTTP app. No I/O happens here: every port comes in through `deps`. */
export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requestContext(deps));
  // A change that succeeded may have queued messages in its (now committed) transaction: deliver them now.
  app.use('*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.res.status < 300) deps.workQueued.notify();
  });

  registerWellKnown(app, deps);
  registerHealth(app, deps);
  registerRegistry(app, deps);
  registerPing(app, deps);
  registerItems(app, deps);
  registerTransfer(app, deps);
  registerCaseEvents(app, deps);
  registerCaseStatus(app, deps);
  registerMeetingInvitations(app, deps);
  registerEvaluations(app, deps);
  registerBackOfficeCallbacks(app, deps);
  registerLiveKitWebhook(app, deps);
  app.route('/', createClerkApi(deps));
  registerConsole(app, deps);

  app.notFound((c) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length) {
      // §6 has no code for 405; invalid_request is the closest of its closed set.
      return problemResponse(new AppError('invalid_request', `${c.req.method} is not allowed here; allowed: ${allowed.join(', ')}`, { status: 405, headers: { allow: allowed.join(', ') } }), c.get('requestId'));
    }
    return problemResponse(new AppError('not_found', `no route for ${c.req.method} ${c.req.path}`), c.get('requestId'));
  });

  app.onError((err, c) => {
    if (!(err instanceof AppError)) c.get('log').error({ err }, 'unhandled error');
    else if (err.status >= 500) c.get('log').warn({ code: err.code, detail: err.message }, 'request failed');
    return problemResponse(err, c.get('requestId') ?? 'unknown');
  });
  return app;
}

function allowedMethods(app: Hono<AppEnv>, path: string): string[] {
  const methods = new Set<string>();
  for (const r of app.routes) {
    if (r.method === 'ALL' || r.path === '*' || r.path === '/*') continue;
    const pattern = new RegExp(`^${r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\/:[^/]+/g, '/[^/]+')}$`);
    if (pattern.test(path)) methods.add(r.method);
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
