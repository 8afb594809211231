import { systemClock, type Clock } from "../domain/clock.js";
import type { Logger } from "../logger.js";

/** One piece of periodic work: run on start and then every tick, one run at a time. */
export interface Job {
  /** How the logs name it when it fails. */
  name: string;
  run(now: Date): Promise<unknown>;
}

/** How often the jobs run: once a minute, which every rule they apply is written for. */
export const TICK_MS = 60_000;

/**
 * The one scheduler: the app's periodic jobs (campaign reminders, matching
 * waves, the day of service, the outbox purge) in one list, run in order on
 * each tick. A job that fails is logged and the others still run; a tick
 * that is still running when the next is due is not started twice.
 */
export class Scheduler {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly jobs: readonly Job[],
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Runs every job once, in order (what each tick does; tests call it directly). */
  tick(): Promise<void> {
    this.#running ??= (async () => {
      for (const job of this.jobs) {
        try {
          await job.run(new Date(this.clock.now()));
        } catch (err) {
          this.logger.error({ job: job.name, err: (err as Error).message }, "scheduled job failed");
        }
      }
    })().finally(() => (this.#running = undefined));
    return this.#running;
  }

  start(): void {
    if (this.#timer) return;
    void this.tick();
    this.#timer = setInterval(() => void this.tick(), TICK_MS);
  }

  /** Stops ticking and waits for a tick in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
