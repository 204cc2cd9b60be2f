import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { evaluationFollowups } from '../../db/schema/index';
import type { Sealer } from '../../lib/sealed';
import { levelOf, type EvaluationLevel, type EvaluationRow, type EvaluationStage, type FollowUpRow, type FollowUpState } from './schema';

export interface FollowUpView {
  state: FollowUpState;
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

export interface EvaluationView {
  id: string;
  caseRef: string;
  stage: EvaluationStage;
  score: number;
  level: EvaluationLevel;
  channel: string;
  comment: string | null;
  /** `local`: given to this member; otherwise the member that forwarded it (§7.4). */
  origin: string;
  recordedBy: string | null;
  at: string;
  followUp: FollowUpView | null;
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** A step is overdue when it was done after its due time, or is still undone past it. */
const late = (doneAt: Date | null, dueAt: Date, now: number): boolean => (doneAt ? doneAt.getTime() : now) > dueAt.getTime();

export function followUpView(f: FollowUpRow, now: number): FollowUpView {
  return {
    state: f.state as FollowUpState,
    callbackDueAt: f.callbackDueAt.toISOString(), remedyDueAt: f.remedyDueAt.toISOString(),
    calledBackAt: iso(f.calledBackAt), calledBackBy: f.calledBackBy, callbackNote: f.callbackNote,
    remediedAt: iso(f.remediedAt), remediedBy: f.remediedBy, remedyNote: f.remedyNote,
    closedAt: iso(f.closedAt), closedBy: f.closedBy,
    callbackOverdue: late(f.calledBackAt, f.callbackDueAt, now),
    remedyOverdue: late(f.remediedAt, f.remedyDueAt, now),
  };
}

/** The evaluation as the API shows it: the comment opened (clerks read it), the follow-up with its clocks. */
export async function evaluationView(sealer: Sealer, row: EvaluationRow, followUp: FollowUpRow | null, now: number): Promise<EvaluationView> {
  return {
    id: row.id, caseRef: row.caseRef, stage: row.stage as EvaluationStage, score: row.score, level: levelOf(row.score),
    channel: row.channel, comment: row.commentSealed ? await sealer.open(row.commentSealed) : null,
    origin: row.origin, recordedBy: row.recordedBy, at: row.at.toISOString(),
    followUp: followUp ? followUpView(followUp, now) : null,
  };
}

/** The follow-ups of some evaluations, by evaluation id. */
export async function followUpsOf(db: Db, ids: readonly string[]): Promise<Map<string, FollowUpRow>> {
  if (!ids.length) return new Map();
  const rows = await db.select().from(evaluationFollowups).where(inArray(evaluationFollowups.evaluationId, [...ids]));
  return new Map(rows.map((f) => [f.evaluationId, f]));
}
