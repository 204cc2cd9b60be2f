import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../../context';
import { meetingCtxOf } from '../../services/meetings/meeting-ctx';
import { MAX_WEBHOOK_BYTES, receiveWebhook } from '../../services/meetings/receive-webhook';
import { readBody } from '../middleware/body';

/**
 * `POST /livekit/webhook`: LiveKit reports rooms, participants and recordings. Not a federation request:
 * LiveKit signs it with our API key and secret. A repeat of an event is 200 and changes nothing.
 */
export function registerLiveKitWebhook(app: Hono<AppEnv>, deps: Deps) {
  app.post('/livekit/webhook', async (c) => {
    const ctx = meetingCtxOf(deps);
    const body = await readBody(c.req.raw, MAX_WEBHOOK_BYTES);
    const outcome = await receiveWebhook({ ctx: { ...ctx, logger: c.get('log') }, input: { body, authorization: c.req.header('authorization') } });
    return c.json({ received: true, applied: outcome.applied }, 200);
  });
}
