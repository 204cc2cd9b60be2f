/** Time comes from here so that tests can fix it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const fixedClock = (ms: number): Clock & { set(ms: number): void; advance(ms: number): void } => {
  let t = ms;
  return { now: () => t, set: (v) => { t = v; }, advance: (d) => { t += d; } };
};

export const seconds = (clock: Clock): number => Math.floor(clock.now() / 1000);
