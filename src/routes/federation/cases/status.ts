import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../../../context';
import { caseStatus } from '../../../services/cases/case-events';
import { signed } from '../../middleware/signed';

/** `GET /federation/v1/cases/{ref}`: status and timeline of a case, for the member on its other side. */
export function registerCaseStatus(app: Hono<AppEnv>, deps: Deps) {
  app.get('/federation/v1/cases/:ref', signed(deps, 'case_status', { maxBody: 0 }), async (c) => {
    const ref = c.req.param('ref');
    const { ownRef, ...status } = await caseStatus({ ctx: { db: deps.database.db }, input: { from: c.get('peer').memberId, ref } });
    c.set('caseRef', ownRef);
    return c.json(status);
  });
}
