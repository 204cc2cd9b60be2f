import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../../context';
import { receiveEvaluation } from '../../services/evaluations/receive-evaluation';
import { evaluationCtxOf, forwardedEvaluationSchema, MAX_EVALUATION_BYTES } from '../../services/evaluations/schema';
import { parseBody } from '../middleware/body';
import { idempotent } from '../middleware/idempotent';
import { signed } from '../middleware/signed';

/** `POST /federation/v1/evaluations` (§7.4): an evaluation the applicant gave to the other member of a case. */
export function registerEvaluations(app: Hono<AppEnv>, deps: Deps) {
  app.post('/federation/v1/evaluations', signed(deps, 'evaluations', { maxBody: MAX_EVALUATION_BYTES }), idempotent(deps, { required: true }), async (c) => {
    const body = parseBody(forwardedEvaluationSchema, c.get('rawBody'), c.req.header('content-type') ?? null);
    const { ownRef, ...answer } = await receiveEvaluation({ ctx: evaluationCtxOf(deps), input: { from: c.get('peer').memberId, body } });
    // Evidence is kept under this member's own ref of the case (on the intake side `caseRef` is the handling member's).
    c.set('caseRef', ownRef);
    return c.json(answer, 200);
  });
}
