import { fromUtf8 } from '../../lib/encoding';
import { AppError } from '../../lib/errors';
import { applyWebhook, type WebhookOutcome } from './apply-webhook';
import type { MeetingCtx } from './meeting-ctx';
import { WebhookRejected } from './video-rooms';

/** A LiveKit webhook is a few KiB; more is not LiveKit. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;

/**
 * `POST /livekit/webhook`: verified by the SDK's WebhookReceiver over the exact body received (its
 * token's sha256 claim), then applied once per event id. A body or signature that does not verify is
 * 401 and changes nothing; the Authorization header never reaches a log.
 */
export async function receiveWebhook({ ctx, input }: { ctx: MeetingCtx; input: { body: Uint8Array; authorization: string | undefined } }): Promise<WebhookOutcome> {
  if (!input.authorization) throw new AppError('missing_signature', 'a LiveKit webhook carries its signed token in Authorization');
  const notice = await ctx.rooms.verifyWebhook(fromUtf8(input.body), input.authorization).catch((e: unknown) => {
    if (e instanceof WebhookRejected) throw new AppError('bad_signature', 'the LiveKit webhook does not verify (signature, key or body digest)');
    throw e;
  });
  const outcome = await applyWebhook({ ctx, input: notice });
  ctx.logger.info({ event: notice.event, eventId: notice.id, meetingId: outcome.meetingId, applied: outcome.applied }, 'livekit webhook');
  return outcome;
}
