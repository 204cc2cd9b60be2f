import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from '../../../context';
import { registerFollowUp } from './follow-up';
import { registerListCaseEvaluations } from './list-case-evaluations';
import { registerListEvaluations } from './list-evaluations';
import { registerRecordEvaluation } from './record-evaluation';

/** 好差评: applicants' evaluations of cases, and the follow-up of a 差评 given to this member. */
export function registerEvaluationRoutes(api: OpenAPIHono<AppEnv>, deps: Deps) {
  registerRecordEvaluation(api, deps);
  registerListCaseEvaluations(api, deps);
  registerListEvaluations(api, deps);
  registerFollowUp(api, deps);
}
