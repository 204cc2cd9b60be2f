import { z } from 'zod';
import type { Db } from '../../db/client';
import type { evaluationFollowups, evaluations } from '../../db/schema/index';
import type { FollowUpSettings } from '../../config';
import type { Clock } from '../../lib/clock';
import type { Ids } from '../../lib/ids';
import type { Sealer } from '../../lib/sealed';
import type { WorkingCalendar } from '../calendar/calendar';

/** The stages an applicant evaluates (好差评): at acceptance (受理) and at the end (办结). */
export const EVALUATION_STAGES = ['accepted', 'finished'] as const;
export type EvaluationStage = (typeof EVALUATION_STAGES)[number];

/** Where the applicant gave it, at this member: the window, a pad at it, web, app, SMS, hotline, a QR code. */
export const EVALUATION_CHANNELS = ['window', 'pad', 'web', 'app', 'sms', 'hotline', 'qr'] as const;

/** The five levels of the national 好差评 system, by score. */
export const EVALUATION_LEVELS = { 5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意' } as const;
export type EvaluationLevel = (typeof EVALUATION_LEVELS)[keyof typeof EVALUATION_LEVELS];

export const levelOf = (score: number): EvaluationLevel => EVALUATION_LEVELS[score as keyof typeof EVALUATION_LEVELS];

/** 差评: a score of 1 or 2 given to this member opens a follow-up (回访, 整改). */
export const isBadScore = (score: number): boolean => score <= 2;

export const FOLLOW_UP_STATES = ['open', 'called_back', 'remedied', 'closed'] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];
export const FOLLOW_UP_ACTIONS = ['call_back', 'remedy', 'close'] as const;
export type FollowUpAction = (typeof FOLLOW_UP_ACTIONS)[number];

export const EVALUATION_ID = /^eva_[A-Za-z0-9_-]{16}$/;
export const MAX_COMMENT = 500;
/** A §7.4 body is a few hundred bytes; the comment at most 500 characters (up to 4 bytes each). */
export const MAX_EVALUATION_BYTES = 16 * 1024;

/**
 * The body of `POST /federation/v1/evaluations` (§7.4). `caseRef` is the handling member's ref; `channel`
 * is whatever the sender's system calls it (other implementations name channels their own way).
 */
export const forwardedEvaluationSchema = z.object({
  caseRef: z.string().min(1).max(128),
  score: z.number().int().min(1).max(5),
  stage: z.enum(EVALUATION_STAGES),
  channel: z.string().min(1).max(32),
  comment: z.string().max(MAX_COMMENT).optional(),
  at: z.iso.datetime({ offset: true }),
}).strict();

export type ForwardedEvaluation = z.infer<typeof forwardedEvaluationSchema>;

export type EvaluationRow = typeof evaluations.$inferSelect;
export type FollowUpRow = typeof evaluationFollowups.$inferSelect;

/** What the evaluation services read and write through; built by the routes from Deps. */
export interface EvaluationCtx {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  ids: Ids;
  calendar: WorkingCalendar;
  followUp: FollowUpSettings;
  selfId: string;
}

export const evaluationCtxOf = (deps: {
  database: { db: Db }; sealer: Sealer; clock: Clock; ids: Ids; calendar: WorkingCalendar; followUp: FollowUpSettings; self: { memberId: string };
}): EvaluationCtx => ({
  db: deps.database.db, sealer: deps.sealer, clock: deps.clock, ids: deps.ids, calendar: deps.calendar, followUp: deps.followUp, selfId: deps.self.memberId,
});
