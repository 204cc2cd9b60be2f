import type { Db } from '../../../db/client';
import type { CaseCtx } from '../case-ctx';
import type { CaseRow } from '../intake/types';
import { carrierOf } from './rules';
import { insertShipment } from './store';

/**
 * A §7.2 `shipped` event on a case, on either side: the parcel it announces, recorded in the event's
 * transaction. The result goes to the applicant when the case is delivered by post, else to the intake
 * window. `createdBy` is the handling member, the one side that sends `shipped`.
 */
export async function recordAnnouncedShipment(tx: Db, ctx: Pick<CaseCtx, 'ids' | 'clock' | 'selfId'>, input: { row: CaseRow; data: { carrier: string; trackingNo: string }; at: number }): Promise<void> {
  const { row, data } = input;
  const method = (row.delivery as { method?: string } | null)?.method;
  await insertShipment(tx, ctx, {
    caseRef: row.ref, direction: method === 'post' ? 'result_to_applicant' : 'result_to_window',
    carrier: carrierOf(data.carrier), trackingNo: data.trackingNo.trim(),
    by: row.role === 'handling' ? ctx.selfId : (row.handlingMember ?? ctx.selfId),
    at: new Date(input.at), now: new Date(ctx.clock.now()), note: data.carrier === carrierOf(data.carrier) ? undefined : `§7.2 shipped: ${data.carrier}`.slice(0, 200),
  });
}
