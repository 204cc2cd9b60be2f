import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../../../context';
import { receiveTransfer } from '../../../services/cases/receive-transfer';
import { MAX_TRANSFER_BYTES, transferSchema } from '../../../services/cases/transfer-schema';
import { parseBody } from '../../middleware/body';
import { idempotent } from '../../middleware/idempotent';
import { signed } from '../../middleware/signed';

/** `POST /federation/v1/cases` (§7.1): a case transferred to this member; 202 + signed receipt. */
export function registerTransfer(app: Hono<AppEnv>, deps: Deps) {
  app.post('/federation/v1/cases', signed(deps, 'cases', { maxBody: MAX_TRANSFER_BYTES }), idempotent(deps, { required: true }), async (c) => {
    const body = parseBody(transferSchema, c.get('rawBody'), c.req.header('content-type') ?? null);
    const receipt = await receiveTransfer({
      ctx: { db: deps.database.db, sealer: deps.sealer, engine: deps.engine, catalog: deps.catalog, registry: deps.registry.current(), selfId: deps.self.memberId, clock: deps.clock, ids: deps.ids, partners: deps.partners },
      input: { from: c.get('peer').memberId, body, resumed: c.get('resumedClaim') === true },
    });
    // The signed 202 is the receipt: its evidence record names the case.
    c.set('caseRef', receipt.caseRef);
    c.get('log').info({ caseRef: receipt.caseRef, item: body.itemCode, mode: body.mode }, 'case transfer received');
    return c.json(receipt, 202);
  });
}
