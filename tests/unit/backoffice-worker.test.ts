import { describe, expect, it } from 'vitest';
import { startBackOfficeWorker } from '../../src/entry/node/backoffice-worker';
import { silentLogger } from '../../src/lib/logger';
import { actionFor, type BackOffice } from '../../src/services/cases/backoffice/back-office';
import type { CaseRow } from '../../src/services/cases/intake/types';

/** A back office whose rounds are counted; each takes `ms`, and the first `failing` throw. */
function fakeBackOffice(o: { ms?: number; failing?: number; work?: () => { action: string }[] } = {}) {
  const state = { rounds: 0, inFlight: 0, finished: 0 };
  const backOffice = {
    async runOnce() {
      state.rounds++;
      if (state.rounds <= (o.failing ?? 0)) throw new Error('database down');
      state.inFlight++;
      await new Promise((r) => setTimeout(r, o.ms ?? 0));
      state.inFlight--;
      state.finished++;
      return o.work?.() ?? [];
    },
  } as unknown as BackOffice;
  return { backOffice, state };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('the back-office worker loop', () => {
  it('runs rounds, survives a failing one, and stop() waits for the round in flight', async () => {
    const { backOffice, state } = fakeBackOffice({ ms: 50, failing: 1 });
    const worker = startBackOfficeWorker(backOffice, { logger: silentLogger, tickMs: 5 });
    await until(() => state.finished >= 2);
    await until(() => state.inFlight === 1);
    await worker.stop();
    expect(state.inFlight).toBe(0);
    const rounds = state.rounds;
    await new Promise((r) => setTimeout(r, 30));
    expect(state.rounds).toBe(rounds);
  });

  it('wake() starts a round at once rather than at the next tick, and a round that did work wakes the outbox', async () => {
    const queue: { action: string }[][] = [[], [{ action: 'submit' }]];
    const { backOffice, state } = fakeBackOffice({ work: () => queue.shift() ?? [] });
    let outboxWoken = 0;
    const worker = startBackOfficeWorker(backOffice, { logger: silentLogger, tickMs: 600_000, afterWork: () => { outboxWoken++; } });
    await until(() => state.finished === 1);
    expect(outboxWoken).toBe(0);
    worker.wake();
    await until(() => state.finished === 2);
    expect(outboxWoken).toBe(1);
    await worker.stop();
  });
});

describe('actionFor', () => {
  const row = (o: Partial<CaseRow>) => ({ state: 'under_review', partnerRef: 'SC-1', partnerState: 'supplement_requested', partnerAttempts: 1, ...o }) as CaseRow;

  it('passes pending supplements on before polling, and never for a withdrawn, archived or unsent case', () => {
    expect(actionFor(row({}), true)).toBe('supplement');
    expect(actionFor(row({}), false)).toBe('poll');
    expect(actionFor(row({ state: 'withdrawn' }), true)).toBe('withdraw');
    expect(actionFor(row({ state: 'archived' }), true)).toBe('none');
    expect(actionFor(row({ partnerRef: null }), true)).toBe('submit');
  });
});
