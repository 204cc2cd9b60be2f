import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../../context';
import { receiveMeetingInvitation } from '../../services/meetings/invitations/receive';
import { invitationSchema, MAX_INVITATION_BYTES } from '../../services/meetings/invitations/schema';
import { parseBody } from '../middleware/body';
import { idempotent } from '../middleware/idempotent';
import { signed } from '../middleware/signed';

/** `POST /federation/v1/meetings` (§7.3): another member invites this member's clerks to its cloud meeting; 202. */
export function registerMeetingInvitations(app: Hono<AppEnv>, deps: Deps) {
  app.post('/federation/v1/meetings', signed(deps, 'meetings', { maxBody: MAX_INVITATION_BYTES }), idempotent(deps, { required: true }), async (c) => {
    const body = parseBody(invitationSchema, c.get('rawBody'), c.req.header('content-type') ?? null);
    const receipt = await receiveMeetingInvitation({
      ctx: { db: deps.database.db, sealer: deps.sealer, clock: deps.clock, ids: deps.ids, selfId: deps.self.memberId },
      input: { from: c.get('peer').memberId, body },
    });
    if (receipt.ownCaseRef) c.set('caseRef', receipt.ownCaseRef);
    // Never the token, nor the URL's query (it may carry one too).
    c.get('log').info({ invitationId: receipt.invitationId, meetingId: body.meetingId, caseRef: receipt.ownCaseRef }, 'meeting invitation received');
    return c.json({ invitationId: receipt.invitationId, status: receipt.status }, 202);
  });
}
