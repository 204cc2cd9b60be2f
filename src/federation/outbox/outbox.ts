import type { Config } from '../../config';
import type { Db } from '../../db/client';
import type { Clock } from '../../lib/clock';
import type { Ids } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import type { FederationClient, SignedAnswer } from '../client';
import { Circuits, defaultCircuitPolicy, type CircuitPolicy } from './circuit';
import { bodyToSend, enqueueMessage, type OutboxInput, type OutboxMessage } from './enqueue';
import type { Sealer } from '../../lib/sealed';
import { outcomeOfAnswer, outcomeOfError, type Outcome } from './outcome';
import { defaultRetryPolicy, describeDuration, nextAttempt, type Random, type RetryPolicy } from './policy';
import * as store from './store';

/**
 * Runs inside the transaction that marks the message delivered, so what it records (a receipt) exists
 * exactly when the message is delivered. If it throws, both roll back and the message is tried again;
 * the receiver answers the retry from its idempotency record (§5).
 */
export type DeliveredHandler = (message: OutboxMessage, answer: SignedAnswer, tx: Db) => Promise<void> | void;

export type DeliveryResult = 'delivered' | 'retry' | 'dead' | 'deferred' | 'lease_lost';

export interface OutboxSettings {
  retry?: Partial<RetryPolicy>;
  circuit?: Partial<CircuitPolicy>;
  /** How long a claim holds; past it another worker takes the message over. Longer than the client's timeout. */
  leaseMs?: number;
  random?: Random;
}

export interface OutboxOptions extends OutboxSettings {
  db: Db;
  client: Pick<FederationClient, 'send'>;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  /** Opens bodies sealed at rest (personal data); without it such messages are retried, never sent sealed. */
  sealer?: Sealer;
}

export const DEFAULT_LEASE_MS = 60_000;

/**
 * The durable outbox of §5 for one gateway instance: `enqueue` in the caller's transaction, then
 * `claimDue` + `deliver` (a worker loop drives them; several instances may share the database).
 * @example await outbox.enqueue(tx, { kind: 'case_event', caseRef, to: 'xihaike', method: 'POST', path, body });
 */
export function createOutbox(o: OutboxOptions) {
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...o.retry };
  const circuits = new Circuits({ ...defaultCircuitPolicy, ...o.circuit });
  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  const random = o.random ?? Math.random;
  const handlers = new Set<DeliveredHandler>();
  const wakers = new Set<() => void>();
  const log = o.logger.child({ component: 'outbox' });
  const now = () => new Date(o.clock.now());
  const wake = () => wakers.forEach((w) => w());

  async function deliver(m: OutboxMessage): Promise<DeliveryResult> {
    const at = o.clock.now();
    // The claim ran out before we got to it: another worker may already hold the message.
    if (m.leaseUntil && at >= m.leaseUntil.getTime()) return 'lease_lost';
    const gate = circuits.admit(m.targetMember, at);
    if (!gate.admitted) return deferOrExpire(m, gate.until);
    let outcome: Outcome;
    try {
      const body = await bodyToSend(m, o.sealer);
      const answer = await o.client.send({ to: m.targetMember, method: m.method as 'POST' | 'GET', path: m.path, body, idempotencyKey: m.idempotencyKey, caseRef: m.caseRef ?? undefined });
      outcome = outcomeOfAnswer(answer);
    } catch (e) {
      outcome = outcomeOfError(e);
    }
    if (outcome.kind === 'delivered') return settleDelivered(m, outcome.answer);
    if (outcome.kind === 'retry') circuits.failed(m.targetMember, o.clock.now());
    else if (outcome.answered) await closeCircuit(m.targetMember);
    return outcome.kind === 'retry' ? settleRetry(m, outcome.status, outcome.error) : settleDead(m, outcome.status, outcome.error);
  }

  async function settleDelivered(m: OutboxMessage, answer: SignedAnswer): Promise<DeliveryResult> {
    await closeCircuit(m.targetMember);
    try {
      const done = await o.db.transaction(async (tx) => {
        const row = await store.markDelivered(tx, m, { now: now(), status: answer.status, token: answer.responseToken, body: answer.body });
        if (row) for (const h of handlers) await h(row, answer, tx);
        return !!row;
      });
      return done ? 'delivered' : 'lease_lost';
    } catch (e) {
      log.warn({ id: m.id, err: e }, 'onDelivered failed; the message will be tried again');
      return settleRetry(m, answer.status, `on_delivered: ${e instanceof Error ? e.message : String(e)}`.slice(0, 500));
    }
  }

  async function settleRetry(m: OutboxMessage, status: number | null, error: string): Promise<DeliveryResult> {
    const next = nextAttempt(retry, { attempts: m.attempts, createdAt: m.createdAt.getTime() }, o.clock.now(), random);
    if (next === null) return settleDead(m, status, `${error} (retry horizon of ${describeDuration(retry.horizonMs)} passed after ${m.attempts} attempts)`);
    return (await store.markRetry(o.db, m, { at: new Date(next), status, error })) ? 'retry' : 'lease_lost';
  }

  async function settleDead(m: OutboxMessage, status: number | null, error: string): Promise<DeliveryResult> {
    const done = await store.markDead(o.db, m, { now: now(), status, error });
    if (done) log.warn({ id: m.id, kind: m.kind, to: m.targetMember, status, error, attempts: m.attempts }, 'outbox message dead');
    return done ? 'dead' : 'lease_lost';
  }

  /** Not attempted while the member's circuit is open; past the horizon, it is dead rather than deferred again. */
  async function deferOrExpire(m: OutboxMessage, until: number): Promise<DeliveryResult> {
    const horizon = m.createdAt.getTime() + retry.horizonMs;
    if (o.clock.now() >= horizon) {
      return settleDead(m, m.lastStatus, `circuit_open: ${m.targetMember} kept failing (retry horizon of ${describeDuration(retry.horizonMs)} passed)`);
    }
    if (!(await store.defer(o.db, m, new Date(Math.min(until, horizon))))) return 'lease_lost';
    // The probe may have closed the circuit while this was being put off: then it need not wait.
    if (circuits.state(m.targetMember, o.clock.now()) === 'closed') await store.releaseMember(o.db, m.targetMember, now());
    return 'deferred';
  }

  async function closeCircuit(member: string): Promise<void> {
    if (!circuits.succeeded(member)) return;
    try {
      const released = await store.releaseMember(o.db, member, now());
      log.info({ member, released }, 'circuit closed: member reachable again');
      if (released) wake();
    } catch (err) {
      // Only a shortcut: the waiting messages still go when their time comes.
      log.warn({ member, err }, 'could not release the messages waiting for a member');
    }
  }

  return {
    /** Inserts through `db` (the caller's transaction or the gateway's database) and wakes the worker. */
    async enqueue(db: Db, input: OutboxInput): Promise<OutboxMessage> {
      const m = await enqueueMessage(db, input, o);
      // Inside a transaction the row is not visible yet: the worker finds it at its next poll, or call wake() after commit.
      wake();
      return m;
    },
    claimDue: (limit: number) => store.claimDue(o.db, { now: now(), leaseMs, limit }),
    deliver,
    /** Claims up to `limit` due messages and delivers them side by side. */
    async runOnce(limit = 8): Promise<DeliveryResult[]> {
      return Promise.all((await store.claimDue(o.db, { now: now(), leaseMs, limit })).map(deliver));
    },
    /** By hand: a dead message is due again now; its attempts stay counted. null if it is not dead. */
    async retryDead(id: string): Promise<OutboxMessage | null> {
      const row = await store.reviveDead(o.db, id, now());
      if (row) wake();
      return row ?? null;
    },
    listOutbox: (filter: store.OutboxFilter = {}) => store.listMessages(o.db, filter),
    /** Registers a handler for delivered messages; returns its removal. */
    onDelivered(handler: DeliveredHandler): () => void {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    /** A worker subscribes to be woken when there is new work; returns the unsubscription. */
    onWake(waker: () => void): () => void {
      wakers.add(waker);
      return () => wakers.delete(waker);
    },
    wake,
    circuits: () => circuits.snapshot(o.clock.now()),
    circuitState: (member: string) => circuits.state(member, o.clock.now()),
    policy: { retry, leaseMs },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

/** The outbox's settings from the gateway's configuration (HANDSHAKE_OUTBOX_*), on Node and on Workers. */
export function outboxSettings(c: Config['outbox']): OutboxSettings {
  return { retry: { baseMs: c.baseMs, capMs: c.capMs }, circuit: { cooldownMs: c.cooldownMs }, leaseMs: c.leaseMs };
}
