import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../../../context';
import { receiveCaseEvent } from '../../../services/cases/case-events';
import { caseEventSchema } from '../../../services/cases/events-schema';
import { MAX_TRANSFER_BYTES } from '../../../services/cases/transfer-schema';
import { parseBody } from '../../middleware/body';
import { idempotent } from '../../middleware/idempotent';
import { signed } from '../../middleware/signed';
import { caseCtxOf } from '../../../services/cases/case-ctx';

/** `POST /federation/v1/cases/{ref}/events` (§7.2): an event from the other side of a case. */
export function registerCaseEvents(app: Hono<AppEnv>, deps: Deps) {
  app.post('/federation/v1/cases/:ref/events', signed(deps, 'case_events', { maxBody: MAX_TRANSFER_BYTES }), idempotent(deps, { required: true }), async (c) => {
    const event = parseBody(caseEventSchema, c.get('rawBody'), c.req.header('content-type') ?? null);
    const ref = c.req.param('ref');
    const result = await receiveCaseEvent({
      ctx: caseCtxOf(deps),
      input: { from: c.get('peer').memberId, ref, event },
    });
    // Evidence is kept under this member's own ref of the case (on the intake side `ref` is the handling member's).
    c.set('caseRef', result.ownRef);
    return c.json({ eventId: result.eventId, status: result.status }, 200);
  });
}
