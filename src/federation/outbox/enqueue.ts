import { getTableColumns } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { outboxMessages } from '../../db/schema/index';
import type { Clock } from '../../lib/clock';
import { base64, fromBase64, fromUtf8, utf8 } from '../../lib/encoding';
import type { Sealer } from '../../lib/sealed';
import type { Ids } from '../../lib/ids';

export type OutboxMessage = typeof outboxMessages.$inferSelect;
export type OutboxStatus = 'pending' | 'delivering' | 'delivered' | 'dead';

export interface OutboxInput {
  /** What the message is, e.g. `case_transfer`, `case_event`. */
  kind: string;
  caseRef?: string | null;
  /** The receiving member's id. */
  to: string;
  method: 'POST' | 'GET';
  /** Path with optional `?query`, e.g. `/federation/v1/cases`. */
  path: string;
  /** A JSON value (serialized once, here) or the exact bytes to send. */
  body?: Uint8Array | object;
  /** Default: the message id, so the receiver's idempotency record names the sender's message. */
  idempotencyKey?: string;
  /** The body carries personal data (a §7.1 transfer): it is sealed at rest and opened only to be sent. */
  personal?: boolean;
}

/** The body is not read back: a transfer's is up to 32 MiB, and returning it costs what writing it does. */
const { body: _body, ...COLUMNS_BUT_BODY } = getTableColumns(outboxMessages);

const MEMBER_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * Writes a message into the outbox through `db`, which may be the caller's transaction: the message
 * then commits, or rolls back, with the change it announces. Nothing is sent here (§3: a message is
 * signed at each attempt, never when queued).
 * @example await db.transaction(async (tx) => { await saveCase(tx, c); await enqueueMessage(tx, msg, deps); });
 */
export async function enqueueMessage(db: Db, input: OutboxInput, deps: { ids: Ids; clock: Clock; sealer?: Sealer }): Promise<OutboxMessage> {
  checkInput(input);
  const id = deps.ids.make('ob');
  const now = new Date(deps.clock.now());
  const plain = input.body === undefined ? new Uint8Array() : input.body instanceof Uint8Array ? input.body : utf8(JSON.stringify(input.body));
  if (input.personal && !deps.sealer) throw new TypeError('outbox message refused: a personal body needs the data key (sealer)');
  const body = input.personal ? utf8(await deps.sealer!.seal(base64(plain))) : plain;
  const [row] = await db.insert(outboxMessages).values({
    id, kind: input.kind, caseRef: input.caseRef ?? null, targetMember: input.to, method: input.method, path: input.path, body,
    bodySealed: !!input.personal, idempotencyKey: input.idempotencyKey ?? id, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now,
  }).returning(COLUMNS_BUT_BODY);
  return { ...row!, body };
}

/** A programming error, not a delivery outcome: refused before anything is stored. */
function checkInput(input: OutboxInput): void {
  const problems: string[] = [];
  if (!input.kind) problems.push('kind is empty');
  if (!MEMBER_ID.test(input.to)) problems.push(`to: ${JSON.stringify(input.to)} is not a member id`);
  if (input.method !== 'POST' && input.method !== 'GET') problems.push(`method: ${String(input.method)} is not POST or GET`);
  if (!input.path.startsWith('/')) problems.push('path must start with /');
  if (input.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(input.idempotencyKey)) problems.push('idempotencyKey must be 1-128 visible ASCII characters');
  if (problems.length) throw new TypeError(`outbox message refused: ${problems.join('; ')}`);
}

/** The bytes to send: the stored body, opened when it was sealed at rest. */
export async function bodyToSend(m: Pick<OutboxMessage, 'body' | 'bodySealed'>, sealer: Sealer | undefined): Promise<Uint8Array> {
  if (!m.bodySealed) return m.body;
  if (!sealer) throw new Error('this message body is sealed and the outbox has no data key to open it');
  return fromBase64(await sealer.open(fromUtf8(m.body)));
}
