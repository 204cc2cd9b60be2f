import type { BackOffice } from '../../services/cases/backoffice/back-office';
import type { Logger } from '../../lib/logger';

export interface BackOfficeWorkerOptions {
  logger: Logger;
  /** How often to look for due cases (new receipts, polls, retries, withdrawals). Per-case polls follow the back office's pollMs. */
  tickMs?: number;
  /** Cases worked side by side in one round. */
  batch?: number;
  /** How long stop() waits for the round in flight; an unfinished case is taken over when its lease ends. */
  stopTimeoutMs?: number;
  /** After a round that did something: its events are in the outbox, so the caller wakes the outbox worker. */
  afterWork?: () => void;
}

/**
 * The Node driver of the back office: one round (`runOnce`) at a time; a full batch is followed by
 * another round at once, otherwise it sleeps `tickMs`. (On Workers a Cron Trigger would call `runOnce`.)
 */
export function startBackOfficeWorker(backOffice: BackOffice, opts: BackOfficeWorkerOptions) {
  const tickMs = opts.tickMs ?? 1_000;
  const batch = opts.batch ?? 8;
  let running = true;
  let woken = false;
  let alarm: (() => void) | null = null;

  const sleep = () => (woken ? Promise.resolve() : new Promise<void>((resolve) => {
    const timer = setTimeout(done, tickMs);
    function done() {
      clearTimeout(timer);
      alarm = null;
      resolve();
    }
    alarm = done;
  }));

  let round: Promise<unknown> = Promise.resolve();
  const loop = (async () => {
    while (running) {
      let full = false;
      woken = false;
      try {
        round = backOffice.runOnce(batch);
        const steps = (await round) as { action: string }[];
        full = steps.length >= batch;
        if (steps.some((s) => s.action !== 'none')) opts.afterWork?.();
      } catch (err) {
        opts.logger.warn({ err }, 'back-office round failed');
      }
      if (running && !full) await sleep();
    }
  })();

  return {
    /** New work was committed (a transfer received, a withdrawal): start a round now rather than at the next tick. */
    wake(): void {
      woken = true;
      alarm?.();
    },
    /** Stops starting rounds, then waits (bounded) for the one in flight. */
    async stop(): Promise<void> {
      running = false;
      alarm?.();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, opts.stopTimeoutMs ?? 5_000); });
      await Promise.race([Promise.allSettled([loop, round]), timeout]);
      clearTimeout(timer);
    },
  };
}
