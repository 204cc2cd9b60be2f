import type { Db } from '../../db/client';
import { BundleRefused, exportCase, type EvidenceBundle } from '../../federation/evidence/bundle';
import { storedSnapshots, verifySnapshots } from '../../federation/evidence/snapshots';
import type { JwsEngine } from '../../federation/engine';
import type { AnchorKeys } from '../../federation/registry/verify';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { Sealer } from '../../lib/sealed';
import type { ClerkIdentity } from '../clerks/schema';
import { findCaseView } from './intake/find-case';

export interface EvidenceCtx {
  db: Db;
  engine: JwsEngine;
  /** The registry's anchor keys: the bundle carries them, and the stored snapshots are checked with them. */
  anchors: AnchorKeys;
  /** Opens the bodies sealed at rest, so that the bundle verifies offline without the data key. */
  sealer: Sealer;
  memberId: string;
  now: number;
  logger: Logger;
}

/**
 * `handshake audit export` for the console: the case's evidence bundle, as the CLI writes it. Only a case
 * `clerk` may read (else 404). The bundle holds opened bodies (a transfer carries the applicant's full ID
 * number): the caller lets supervisors only have it, and the log names the case and the clerk, nothing more.
 */
export async function exportCaseEvidence({ ctx, input }: { ctx: EvidenceCtx; input: { clerk: ClerkIdentity; ref: string } }): Promise<EvidenceBundle> {
  const { clerk, ref } = input;
  if (!(await findCaseView(ctx.db, ref, clerk, ctx.now))) throw new AppError('not_found', `no case ${ref}`);
  const keys = await verifySnapshots(await storedSnapshots(ctx.db), ctx.anchors, Math.floor(ctx.now / 1000));
  let bundle: EvidenceBundle;
  try {
    bundle = await exportCase({ db: ctx.db, caseRef: ref, anchors: ctx.anchors, keys, engine: ctx.engine, self: ctx.memberId, now: new Date(ctx.now), open: ctx.sealer.open });
  } catch (e) {
    if (!(e instanceof BundleRefused)) throw e;
    // A record that does not verify is the evidence log's problem, not the clerk's: `handshake audit verify` finds it.
    ctx.logger.error({ caseRef: ref, clerk: clerk.id, reason: e.message, alert: 'evidence_unverifiable' }, 'evidence bundle refused');
    throw new AppError('internal', `the evidence of case ${ref} does not verify`);
  }
  ctx.logger.info({ caseRef: ref, clerk: clerk.id, records: bundle.records.length, snapshots: bundle.snapshots.length }, 'evidence bundle exported');
  return bundle;
}
