import { and, eq } from 'drizzle-orm';
import { AdapterError, type CallbackEvent, type RawCallback } from '../../../../adapters/types';
import type { Db } from '../../../db/client';
import { cases } from '../../../db/schema/index';
import { AppError } from '../../../lib/errors';
import type { CaseCtx } from '../case-ctx';
import { ownBackOffice } from './link';
import { applyPartnerReport } from './report';

/** Body limit of a back-office callback. */
export const MAX_CALLBACK_BYTES = 1024 * 1024;

/**
 * A callback the back office posted: `member` must be this gateway's own member with a back office
 * (else 404). The adapter checks the signature over the exact bytes and maps the states; each event is
 * applied to its case (by caseRef, else by partnerRef) as a report. Every case must be ours (else 404,
 * nothing applied). A repeated callback finds its event on the timeline and changes nothing.
 */
export async function receiveBackOfficeCallback({ ctx, input }: { ctx: CaseCtx; input: { member: string } & RawCallback }): Promise<{ accepted: number }> {
  const link = input.member === ctx.selfId ? ownBackOffice(ctx) : null;
  if (!link) throw new AppError('not_found', `no back office ${input.member} here`);
  let events: CallbackEvent[];
  try {
    events = await link.adapter.parseCallback({ headers: input.headers, body: input.body });
  } catch (e) {
    throw callbackError(e);
  }
  const refs: string[] = [];
  for (const event of events) {
    const ref = await findCase(ctx.db, ctx.selfId, event);
    if (!ref) throw new AppError('not_found', `no case ${event.caseRef ?? event.partnerRef} for this back office`);
    refs.push(ref);
  }
  for (const [i, event] of events.entries()) {
    const { eventId, caseRef: _caseRef, ...report } = event;
    await applyPartnerReport(ctx, refs[i]!, report, eventId);
  }
  return { accepted: events.length };
}

/**
 * §6 has no code of its own for a back office's callback: a signature (or its timestamp) that does not
 * verify is 401 bad_signature, any other bad callback (its shape, an unmapped status, a partner with no
 * callbacks) 400 invalid_request. A secret missing from our configuration is ours to fix: 503.
 */
function callbackError(e: unknown): AppError {
  if (!(e instanceof AdapterError)) return new AppError('invalid_request', 'the callback could not be read');
  if (e.kind === 'auth') return new AppError('upstream_unavailable', 'the back office callback secret is not configured');
  if (e.kind === 'bad_callback' && /signature|timestamp/i.test(e.message)) return new AppError('bad_signature', 'the callback signature does not verify');
  return new AppError('invalid_request', `bad callback: ${e.message}`.slice(0, 300));
}

/** Our handling case the event names: by caseRef (with a partnerRef that matches, once known), else by partnerRef. */
async function findCase(db: Db, selfId: string, event: CallbackEvent): Promise<string | null> {
  const mine = and(eq(cases.role, 'handling'), eq(cases.handlingMember, selfId));
  const [row] = event.caseRef !== undefined
    ? await db.select({ ref: cases.ref, partnerRef: cases.partnerRef }).from(cases).where(and(mine, eq(cases.ref, event.caseRef)))
    : await db.select({ ref: cases.ref, partnerRef: cases.partnerRef }).from(cases).where(and(mine, eq(cases.partnerRef, event.partnerRef))).limit(1);
  if (!row || (row.partnerRef && row.partnerRef !== event.partnerRef)) return null;
  return row.ref;
}
