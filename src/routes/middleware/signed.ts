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
    const token = c.req.header(SIGNATURE_HEADER)?.trim() ?? null;
    const path = rawPathAndQuery(c.req.url);
    const { claims, key } = await verifyRequest({ token, method: c.req.method, publicBase: deps.self.publicUrl, pathAndQuery: path, body }, {
      registry: deps.registry.current(),
      selfId: deps.self.memberId,
      nowSec: seconds(deps.clock),
      engine: deps.engine,
      onUnknownKey: async () => ((await deps.registry.refreshForUnknownKey()) ? deps.registry.current() : null),
    });
    c.set('peer', { memberId: claims.iss, claims, key });
    c.set('log', lazyChild(c.get('log'), { member: claims.iss }));
    const exchange = { peer: claims.iss, method: c.req.method, path };
    try {
      // Nothing is done for a request that is not kept first (a 503 follows, and the sender retries). Step
      // 10's claim is written while the request is being kept (two round trips at once, not one after the
      // other); the answer still follows the order: evidence, step 9, step 10.
      const kept = deps.evidence.record({ kind: 'request_received', ...exchange, token: token!, body, caseRef: c.get('caseRef') });
      const allowed = deps.policy.allows(claims.iss, route);
      const claimed = allowed ? settle(deps.replay.claim(claims.iss, claims.jti, claims.exp)) : null;
      try {
        await kept;
      } catch (err) {
        // Not kept, so not done: the jti is given back, and the same request can go through once the log is
        // back (a sender's retry is signed anew anyway, §3). Best effort: a database that refused the
        // evidence may refuse this too.
        const claim = await claimed;
        if (claim && 'ok' in claim && claim.ok) await deps.replay.release(claims.iss, claims.jti).catch(() => {});
        throw err;
      }
      if (!allowed) throw new AppError('not_authorized', `route ${route} is not open to ${claims.iss}`);
      const claim = await claimed!;
      if ('err' in claim) throw claim.err;
      if (!claim.ok) throw new AppError('replay', 'this jti was already used');
      await next();
    } catch (err) {
      c.res = problemResponse(err, c.get('requestId'));
      if (!(err instanceof AppError)) c.get('log').error({ err }, 'unhandled error');
    }
    let answer = await signAnswer(deps, claims.iss, claims.jti, c.res);
    try {
      await deps.evidence.record({ kind: 'response_sent', ...exchange, token: answer.token, body: answer.body, caseRef: c.get('caseRef') });
    } catch (err) {
      // An answer (a receipt above all) never leaves unproven: a signed 503 instead; the retry gets the first answer (§5).
      answer = await signAnswer(deps, claims.iss, claims.jti, problemResponse(err, c.get('requestId')));
    }
    c.res = undefined;
    c.res = answer.response;
  });
}

/** A promise's outcome as a value, so that it is never an unhandled rejection while other work is awaited. */
const settle = <T>(p: Promise<T>): Promise<{ ok: T } | { err: unknown }> => p.then((ok) => ({ ok }), (err: unknown) => ({ err }));

/** §4: the answer with its `Handshake-Response`, and the exact bytes signed. */
async function signAnswer(deps: Deps, aud: string, requestJti: string, res: Response) {
  const body = new Uint8Array(await res.arrayBuffer());
  const token = await signResponse(deps.self.signer, {
    iss: deps.self.memberId, aud, requestJti, status: res.status, body,
  }, deps.clock, deps.ids, deps.engine);
  const headers = new Headers(res.headers);
  headers.set(RESPONSE_SIGNATURE_HEADER, token);
  return { token, body, response: new Response(body, { status: res.status, headers }) };
}
