import type { Db } from '../../../db/client';
import { caseEvents } from '../../../db/schema/index';
import { hex, utf8 } from '../../../lib/encoding';
import type { CaseCtx } from '../case-ctx';
import type { CaseStatus } from '../state-machine';
import type { JointEventType } from './steps';

export interface JointEventInput {
  type: JointEventType;
  /** The step it is about; none for the joint case as a whole. */
  step?: string;
  data: Record<string, unknown>;
  statusAfter: CaseStatus;
  at: Date;
}

/**
 * Puts a local event on the joint case's timeline. Its eventId is made of the type and the step, so that
 * telling the same thing twice (a step blocked again by a second failure) keeps one row: the
 * (case_ref, event_id) key holds, and the first telling stands.
 */
export async function recordJointEvent(tx: Db, ctx: Pick<CaseCtx, 'ids' | 'engine' | 'selfId'>, caseRef: string, e: JointEventInput): Promise<void> {
  const data = { ...(e.step ? { step: e.step } : {}), ...e.data };
  await tx.insert(caseEvents).values({
    id: ctx.ids.make('ev'), caseRef, eventId: `${e.type}:${e.step ?? '*'}`, type: e.type, at: e.at, note: null, data,
    side: 'intake', sender: ctx.selfId, actor: `member:${ctx.selfId}`, contentHash: hex(await ctx.engine.sha256(utf8(JSON.stringify({ type: e.type, data })))),
    statusAfter: e.statusAfter, recordedAt: e.at,
  }).onConflictDoNothing();
}
