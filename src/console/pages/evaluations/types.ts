/** The 好差评 records as the clerk API gives them (contracts: Evaluations). */
export interface FollowUp {
  state: 'open' | 'called_back' | 'remedied' | 'closed';
  callbackDueAt: string;
  remedyDueAt: string;
  calledBackAt: string | null;
  calledBackBy: string | null;
  callbackNote: string | null;
  remediedAt: string | null;
  remediedBy: string | null;
  remedyNote: string | null;
  closedAt: string | null;
  closedBy: string | null;
  callbackOverdue: boolean;
  remedyOverdue: boolean;
}

export interface Evaluation {
  id: string;
  caseRef: string;
  stage: 'accepted' | 'finished';
  score: number;
  level: string;
  channel: string;
  comment: string | null;
  origin: string;
  recordedBy: string | null;
  at: string;
  followUp: FollowUp | null;
}

export interface ListedEvaluation extends Evaluation { itemCode: string; caseId: string }

export interface EvaluationPage { evaluations: ListedEvaluation[]; nextCursor: string | null }

export type Stage = Evaluation['stage'];

/** 差评: the two lowest of the five levels; they open a follow-up (回访, 整改, 办结). */
export const isBad = (score: number): boolean => score <= 2;

/**
 * The case states at which each stage can surely be evaluated: 受理 once accepted, 办结 once decided. A case
 * in 补正 or archived may or may not have got there; the panel asks the timeline for those.
 */
export const SURE: Record<Stage, ReadonlySet<string>> = {
  accepted: new Set(['accepted', 'decided', 'result_issued', 'shipped', 'delivered', 'evaluated']),
  finished: new Set(['decided', 'result_issued', 'shipped', 'delivered', 'evaluated']),
};
export const UNSURE: ReadonlySet<string> = new Set(['supplement_requested', 'under_review', 'archived']);
/** The §7.2 event that opens each stage. */
export const STAGE_EVENT: Record<Stage, string> = { accepted: 'accepted', finished: 'decided' };
