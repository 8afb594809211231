/**
 * Where time comes from. Services and the delivery engine take a clock in
 * their dependencies instead of reading `Date.now()`, so tests can move time
 * (a fake clock's `sleep` advances it at once) and the product reads one clock.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
}

/** The machine's clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/**
 * The machine's clock, moved ahead by a shift that only grows: the playground's, so that a day of service (the
 * reminder two days before, check-in, check-out) can be shown in one sitting. Waits take real time.
 */
export function shiftedClock(): Clock & { shiftMs(): number; advance(ms: number): void } {
  let shift = 0;
  return {
    now: () => Date.now() + shift,
    sleep: systemClock.sleep,
    shiftMs: () => shift,
    advance(ms) {
      shift += Math.max(0, ms);
    },
  };
}
