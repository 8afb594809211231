import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { Scheduler } from "../../src/scheduler/index.js";
import { fakeClock } from "../support/clock.js";

describe("the scheduler", () => {
  it("runs every job in order on its clock; a job that fails is logged and the next still runs", async () => {
    const clock = fakeClock(Date.parse("2027-02-08T15:00:00Z"));
    const ran: string[] = [];
    const logged: unknown[] = [];
    const logger = createLogger("error");
    logger.error = ((obj: unknown) => void logged.push(obj)) as typeof logger.error;
    const scheduler = new Scheduler(
      [
        { name: "first", run: async (now) => void ran.push(`first ${now.toISOString()}`) },
        {
          name: "broken",
          run: async () => {
            throw new Error("store away");
          },
        },
        { name: "last", run: async () => void ran.push("last") },
      ],
      logger,
      clock,
    );
    await scheduler.tick();
    expect(ran).toEqual(["first 2027-02-08T15:00:00.000Z", "last"]);
    expect(logged).toEqual([{ job: "broken", err: "store away" }]);
  });

  it("never runs a tick twice at once: a tick due while one runs joins it", async () => {
    let release!: () => void;
    let runs = 0;
    const scheduler = new Scheduler(
      [
        {
          name: "slow",
          run: () => {
            runs++;
            return new Promise<void>((r) => (release = r));
          },
        },
      ],
      createLogger("silent"),
    );
    const a = scheduler.tick();
    const b = scheduler.tick();
    release();
    await Promise.all([a, b]);
    expect(runs).toBe(1);
    // Once it ended, the next tick runs the job again.
    const c = scheduler.tick();
    release();
    await c;
    expect(runs).toBe(2);
  }, 5_000);
});
