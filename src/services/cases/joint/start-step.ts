import type { Db } from '../../../db/client';
import { cases } from '../../../db/schema/index';
import { enqueueMessage } from '../../../federation/outbox/enqueue';
import { utf8 } from '../../../lib/encoding';
import { AppError } from '../../../lib/errors';
import { afterTransition } from '../after-transition';
import type { CaseCtx } from '../case-ctx';
import { TRANSFER_KIND, transferBodyOf, type MaterialRow } from '../intake/transfer-body';
import type { CaseRow } from '../intake/types';
import type { JointStep } from '../joint-plan';
import { applyEvent, initialCaseState, type CaseState, type CaseStatus } from '../state-machine';
import { MAX_TRANSFER_BYTES } from '../transfer-schema';
import { recordJointEvent } from './joint-events';

export interface StartedStep {
  step: string;
  to: string;
  /** Our ref of the step's case (role intake, parentRef the joint case). */
  ref: string;
  messageId: string;
}

export interface StartStepInput {
  /** The joint case, under its row lock in `tx`. */
  parent: CaseRow;
  step: JointStep;
  /** The joint case's materials, in order: every step carries them all. */
  materials: readonly MaterialRow[];
  materialsDigest: string;
  /** The joint case's status once this advance is done, for its timeline. */
  parentStatus: CaseStatus;
}

/**
 * Starts one step of a joint case, in the caller's transaction: its own intake case (the applicant copied
 * sealed, as is), transfer_sent, and its §7.1 transfer (mode joint, `step`, `jointId` the joint case's
 * number) in the outbox. Its receipt and events then land on that case like any transfer's.
 */
export async function startJointStep(tx: Db, ctx: CaseCtx, input: StartStepInput): Promise<StartedStep> {
  const { parent, step } = input;
  const now = new Date(ctx.clock.now());
  const initial = initialCaseState('intake', (parent.delivery as { method?: CaseState['delivery'] }).method);
  const sent = applyEvent(initial, { type: 'transfer_sent' }, 'intake');
  if (!sent.ok) throw new AppError('internal', `a new step cannot be sent: ${sent.reason}`);
  const [child] = await tx.insert(cases).values({
    ref: ctx.ids.make('cs'), role: 'intake', intakeMember: parent.intakeMember, handlingMember: step.member, intakeCaseId: parent.intakeCaseId,
    itemCode: parent.itemCode, mode: 'joint', step: step.id, jointId: parent.intakeCaseId, parentRef: parent.ref,
    state: sent.state.status, stateDetail: sent.state,
    applicantKind: parent.applicantKind, applicantName: parent.applicantName, applicantIdType: parent.applicantIdType,
    applicantIdSealed: parent.applicantIdSealed, applicantIdMasked: parent.applicantIdMasked, applicantPhoneSealed: parent.applicantPhoneSealed,
    intake: parent.intake, form: parent.form, delivery: parent.delivery, consent: parent.consent,
    materialsDigest: input.materialsDigest, createdAt: now, updatedAt: now,
  }).returning();
  const bytes = utf8(JSON.stringify(await transferBodyOf(ctx, child!, input.materials)));
  if (bytes.byteLength > MAX_TRANSFER_BYTES) throw new AppError('payload_too_large', 'the materials together are over 32 MiB, the most one transfer carries');
  const message = await enqueueMessage(tx, { kind: TRANSFER_KIND, caseRef: child!.ref, to: step.member, method: 'POST', path: '/federation/v1/cases', body: bytes, personal: true }, ctx);
  await afterTransition(tx, ctx, { row: { ...child!, state: initial.status, stateDetail: initial }, event: { type: 'transfer_sent' }, before: initial, after: sent.state, at: now });
  await recordJointEvent(tx, ctx, parent.ref, { type: 'joint_step_sent', step: step.id, data: { member: step.member, ref: child!.ref }, statusAfter: input.parentStatus, at: now });
  return { step: step.id, to: step.member, ref: child!.ref, messageId: message.id };
}
