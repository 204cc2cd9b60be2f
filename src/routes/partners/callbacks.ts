import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../../context';
import { MAX_CALLBACK_BYTES, receiveBackOfficeCallback } from '../../services/cases/backoffice/callbacks';
import { caseCtxOf } from '../../services/cases/case-ctx';
import { readBody } from '../middleware/body';

/**
 * `POST /partners/v1/{member}/callbacks`: the member's own back office reports a case's state. Not a
 * federation request: the adapter checks the partner's signature over the exact bytes received.
 */
export function registerBackOfficeCallbacks(app: Hono<AppEnv>, deps: Deps) {
  app.post('/partners/v1/:member/callbacks', async (c) => {
    const body = await readBody(c.req.raw, MAX_CALLBACK_BYTES);
    const result = await receiveBackOfficeCallback({ ctx: caseCtxOf(deps), input: { member: c.req.param('member'), headers: c.req.raw.headers, body } });
    return c.json(result, 200);
  });
}
