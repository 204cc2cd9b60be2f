/**
 * Ends a run that takes longer than `ms`: the cleanup registered by then (gateways stopped, databases
 * dropped) gets 15 s, then the process exits 1. `clear()` when the run ends by itself.
 */
export function startWatchdog(ms: number): { cleanup(fn: () => Promise<void>): void; clear(): void } {
  let cleanup: () => Promise<void> = async () => {};
  const timer = setTimeout(() => {
    console.error(`bench: still running after ${ms / 1000} s, giving up`);
    const giveUp = new Promise((resolve) => setTimeout(resolve, 15_000).unref());
    void Promise.race([cleanup().catch(() => {}), giveUp]).finally(() => process.exit(1));
  }, ms);
  timer.unref();
  return { cleanup: (fn) => { cleanup = fn; }, clear: () => clearTimeout(timer) };
}
