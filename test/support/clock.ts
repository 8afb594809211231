import type { Clock } from "../../src/domain/clock.js";

/** A clock that only moves when something sleeps on it (or the test moves it): waits take no real time. */
export function fakeClock(start = Date.parse("2026-11-25T08:30:00Z")): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    async sleep(ms) {
      now += Math.max(0, ms);
    },
    advance(ms) {
      now += ms;
    },
  };
}
