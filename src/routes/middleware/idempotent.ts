import { createMiddleware } from 'hono/factory';
import type { AppEnv, Deps } from '../../context';
import { bodyDigest } from '../../federation/engine';
import { AppError } from '../../lib/errors';
import { rawPathAndQuery } from './body';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * §5 after `signed`: a repeat of (iss, key) with the same method, path and body gets the first answer
 * again (the signing middleware signs it anew); anything else with that key is 409.
 */
export function idempotent(deps: Deps, opts: { required: boolean }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key === undefined) {
      if (opts.required) throw new AppError('invalid_request', 'the Idempotency-Key header is required', { errors: [{ path: 'header.Idempotency-Key', message: 'required' }] });
      return next();
    }
    if (!KEY.test(key)) throw new AppError('invalid_request', 'Idempotency-Key must be 1-128 visible ASCII characters', { errors: [{ path: 'header.Idempotency-Key', message: 'must be 1-128 visible ASCII characters' }] });
    const req = {
      iss: c.get('peer').memberId, key, method: c.req.method,
      path: rawPathAndQuery(c.req.url), bodyDigest: await bodyDigest(deps.engine, c.get('rawBody')),
    };
    const claim = await deps.idempotency.claim(req, new Date(deps.clock.now()));
    if (claim.kind === 'conflict') throw new AppError('idempotency_conflict', 'this Idempotency-Key was used with another method, path or body');
    if (claim.kind === 'in_progress') {
      // Retryable by §5 (429): the first request with this key is still being answered.
      throw new AppError('rate_limited', 'a request with this Idempotency-Key is still in progress', { headers: { 'retry-after': '1' } });
    }
    if (claim.kind === 'replay') {
      const { answer } = claim;
      const headers = new Headers({ 'idempotent-replayed': 'true' });
      if (answer.contentType) headers.set('content-type', answer.contentType);
      c.res = new Response(answer.body as Uint8Array<ArrayBuffer>, { status: answer.status, headers });
      return;
    }
    if (claim.resumed) c.set('resumedClaim', true);
    try {
      await next();
    } catch (err) {
      await deps.idempotency.release(req);
      throw err;
    }
    if (c.res.status >= 500) return deps.idempotency.release(req);
    const body = new Uint8Array(await c.res.clone().arrayBuffer());
    await deps.idempotency.complete(req, { status: c.res.status, contentType: c.res.headers.get('content-type'), body });
  });
}
