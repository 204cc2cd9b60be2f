/**
 * A wake-up call with several listeners: work was queued (rows committed), whoever delivers it should look
 * now rather than at its next poll. Listeners must be cheap and must not throw.
 * @example const queued = createSignal(); queued.subscribe(outbox.wake); queued.notify();
 */
export interface Signal {
  notify(): void;
  /** Returns the unsubscription. */
  subscribe(listener: () => void): () => void;
}

export function createSignal(): Signal {
  const listeners = new Set<() => void>();
  return {
    notify: () => listeners.forEach((l) => l()),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
