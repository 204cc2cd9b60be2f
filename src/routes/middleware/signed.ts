import { createMiddleware } from 'hono/factory';
import type { AppEnv, Deps } from '../../context';
import { verifyRequest } from '../../federation/envelope/verify';
import { signResponse } from '../../federation/envelope/sign';
import type { FederationRoute } from '../../federation/policy';
import { seconds } from '../../lib/clock';
import { AppError, problemResponse } from '../../lib/errors';
import { lazyChild } from '../../lib/logger';
import { readBody, rawPathAndQuery } from './body';

export const SIGNATURE_HEADER = 'Handshake-Request';
export const RESPONSE_SIGNATURE_HEADER = 'Handshake-Response';

/**
 * §3.1 and §4 around a federation route: steps 1-8 (an unsigned problem on failure), then steps 9
 * and 10 and the handler, whose answer, error or not, leaves signed.
 */
export function signed(deps: Deps, route: FederationRoute, opts: { maxBody: number }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const body = await readBody(c.req.raw, opts.maxBody);
    c.set('rawBody', body);
    const { claims, key } = await verifyRequest({
      token: c.req.header(SIGNATURE_HEADER) ?? null,
      method: c.req.method,
      publicBase: deps.self.publicUrl,
      pathAndQuery: rawPathAndQuery(c.req.url),
      body,
    }, {
      registry: deps.registry.current(),
      selfId: deps.self.memberId,
      nowSec: seconds(deps.clock),
      engine: deps.engine,
      onUnknownKey: async () => ((await deps.registry.refreshForUnknownKey()) ? deps.registry.current() : null),
    });
    c.set('peer', { memberId: claims.iss, claims, key });
    c.set('log', lazyChild(c.get('log'), { member: claims.iss }));
    try {
      if (!deps.policy.allows(claims.iss, route)) throw new AppError('not_authorized', `route ${route} is not open to ${claims.iss}`);
      if (!(await deps.replay.claim(claims.iss, claims.jti, claims.exp))) throw new AppError('replay', 'this jti was already used');
      await next();
    } catch (err) {
      c.res = problemResponse(err, c.get('requestId'));
      if (!(err instanceof AppError)) c.get('log').error({ err }, 'unhandled error');
    }
    const res = c.res;
    const resBody = new Uint8Array(await res.arrayBuffer());
    const token = await signResponse(deps.self.signer, {
      iss: deps.self.memberId, aud: claims.iss, requestJti: claims.jti, status: res.status, body: resBody,
    }, deps.clock, deps.ids, deps.engine);
    const headers = new Headers(res.headers);
    headers.set(RESPONSE_SIGNATURE_HEADER, token);
    c.res = undefined;
    c.res = new Response(resBody, { status: res.status, headers });
  });
}
