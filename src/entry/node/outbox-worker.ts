import type { Outbox } from '../../federation/outbox/outbox';
import type { Logger } from '../../lib/logger';

export interface OutboxWorkerOptions {
  logger: Logger;
  /** How often to look for due messages when nothing wakes the loop earlier. */
  pollMs?: number;
  /** Deliveries in flight at once. */
  concurrency?: number;
  /** How long stop() waits for deliveries in flight; an unfinished one is taken over when its lease ends. */
  stopTimeoutMs?: number;
}

/**
 * The Node driver of the outbox: claims due messages while fewer than `concurrency` are in flight,
 * sleeps `pollMs` when there is nothing to do, and wakes early after an enqueue or a finished delivery.
 * (On Workers no loop runs yet: a Cron Trigger or a Queue consumer would call `outbox.runOnce`.)
 */
export function startOutboxWorker(outbox: Outbox, opts: OutboxWorkerOptions) {
  const pollMs = opts.pollMs ?? 500;
  const concurrency = opts.concurrency ?? 8;
  const inFlight = new Set<Promise<void>>();
  let running = true;
  let woken = false;
  let alarm: (() => void) | null = null;

  const wake = () => {
    woken = true;
    alarm?.();
  };
  const unsubscribe = outbox.onWake(wake);

  function sleep(): Promise<void> {
    if (woken || !running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        alarm = null;
        resolve();
      }
      alarm = done;
    });
  }

  function track(work: Promise<unknown>) {
    const p: Promise<void> = work.then(
      () => undefined,
      (err: unknown) => opts.logger.warn({ err }, 'outbox delivery failed; the message is taken over when its lease ends'),
    ).finally(() => {
      inFlight.delete(p);
      wake();
    });
    inFlight.add(p);
  }

  const loop = (async () => {
    while (running) {
      woken = false;
      const free = concurrency - inFlight.size;
      if (free > 0) {
        try {
          const claimed = await outbox.claimDue(free);
          // Each finished delivery wakes the loop, so a full batch is followed by another claim at once.
          for (const m of claimed) track(outbox.deliver(m));
        } catch (err) {
          opts.logger.warn({ err }, 'outbox claim failed');
        }
      }
      await sleep();
    }
  })();

  return {
    wake,
    /** Stops claiming, then waits (bounded) for deliveries in flight. */
    async stop(): Promise<void> {
      running = false;
      unsubscribe();
      alarm?.();
      await loop;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, opts.stopTimeoutMs ?? 5_000); });
      await Promise.race([Promise.allSettled([...inFlight]), timeout]);
      clearTimeout(timer);
    },
  };
}

export { outboxSettings } from '../../federation/outbox/outbox';
