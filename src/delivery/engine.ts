import { randomUUID } from "node:crypto";
import type { Api } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { imInData, OPT_OUT_DATA } from "../domain/callback-data.js";
import { systemClock, type Clock } from "../domain/clock.js";
import { DEFAULT_QUIET_HOURS, isQuiet, type QuietHours } from "../domain/quiet-hours.js";
import type { Logger } from "../logger.js";
import { capabilitiesOf, type Platform } from "../platforms/capabilities.js";
import { classify, tokenRefused, type Outcome } from "./classify.js";
import type { Delivery, Store } from "../store/port/index.js";
import type { Lane, SendBudget } from "./budget/index.js";

export interface EngineOptions {
  /** Identifies this worker's leases. */
  owner?: string;
  batchSize?: number;
  /** How long a claim is held before another worker may take it over (a crashed worker). */
  leaseMs?: number;
  /** Sends in flight at once. */
  concurrency?: number;
  maxAttempts?: number;
  timeZone: string;
  /** `null`: no quiet hours. */
  quietHours?: QuietHours | null;
  /** The button under campaign messages that turns them off. */
  optOutLabel?: string;
  /** The label of the «I'm in» button. */
  imInLabel?: string;
  idleMs?: number;
  /** Rewrites a delivery's text for its recipient (a campaign reminder's vow of service). */
  personalize?: (d: Delivery) => Promise<string>;
  /** Told each settled delivery's outcome (metrics; the send budget counts the 429s, by lane). */
  observe?: { settled(platform: Platform, status: string): void };
  /** Told once when a platform refuses our token (its deliveries pause), and when it accepts it again. */
  onToken?: (platform: Platform, accepted: boolean) => void;
  /** How long a platform's deliveries wait after its token was refused, before trying again. */
  tokenPauseMs?: number;
  /** Where leases, retries and the token pause read the time (the machine's unless a test moves it). */
  clock?: Clock;
}

/** Reachability flips are remembered this long, to be undone if the token turns out to have been refused. */
const FLIP_MEMORY_MS = 5 * 60_000;

/**
 * A delivery's lane in the send budget: one-to-one pushes (match notices,
 * introductions, approvals) before broadcasts and campaign days, urgent
 * broadcasts included (urgent only means that quiet hours do not hold them).
 */
export const laneOf = (d: Pick<Delivery, "personal">): Lane => (d.personal ? "urgent" : "bulk");

/** Sent deliveries written to the store at a time (and at least each second). */
const SETTLE_EVERY = 20;

/** The urgent loop's batch: a few at a time, so each is claimed only when it can go. */
const URGENT_BATCH = 10;

/**
 * The delivery engine: claims batches from the durable outbox, sends within
 * the platform's rate, and settles every record. Several engines (processes)
 * can run at once: claims are atomic leases. A crash leaves at most the
 * sends in flight or since the last settle (at most `concurrency` + 20) to be
 * sent again when its lease runs out; nothing claimed is lost.
 */
export class DeliveryEngine {
  readonly owner: string;
  #running = false;
  #loop: Promise<void> | undefined;
  readonly #touched = new Set<string>();
  readonly #opts: Required<
    Omit<EngineOptions, "owner" | "optOutLabel" | "imInLabel" | "personalize" | "observe" | "onToken" | "clock">
  > &
    Pick<EngineOptions, "optOutLabel" | "imInLabel" | "personalize" | "observe" | "onToken">;
  /** Per platform: when getMe last said the token works. */
  readonly #tokenOkAt = new Map<Platform, number>();
  /** Per platform whose token was refused: when to try its deliveries again. */
  readonly #tokenPausedUntil = new Map<Platform, number>();
  /** A token check in flight per platform (concurrent sends share it). */
  readonly #tokenChecks = new Map<Platform, Promise<boolean>>();
  /** Reachability flips this engine made lately, per platform: undone when the token turns out to be refused. */
  readonly #flips = new Map<Platform, { chatId: string; at: number }[]>();
  readonly #clock: Clock;

  constructor(
    private readonly store: Store,
    private readonly apis: ReadonlyMap<Platform, Api>,
    private readonly budget: SendBudget,
    private readonly logger: Logger,
    options: EngineOptions,
  ) {
    this.owner = options.owner ?? `engine-${randomUUID().slice(0, 8)}`;
    this.#clock = options.clock ?? systemClock;
    this.#opts = {
      batchSize: 100,
      leaseMs: 60_000,
      concurrency: 32,
      maxAttempts: 5,
      quietHours: DEFAULT_QUIET_HOURS,
      idleMs: 500,
      tokenPauseMs: 30_000,
      ...options,
    };
  }

  /**
   * Claims and sends one batch; returns how many deliveries it handled.
   * `localTime` decides quiet hours (tests set it; the engine's clock otherwise); leases use the engine's clock.
   */
  async runOnce(localTime?: Date, lane: "all" | "urgent" | "bulk" = "all"): Promise<number> {
    const quiet = this.#opts.quietHours;
    const inQuiet = quiet !== null && isQuiet(localTime ?? new Date(this.#clock.now()), this.#opts.timeZone, quiet);
    // In quiet hours only urgent messages go, and the urgent loop sends them.
    if (lane === "bulk" && inQuiet) {
      await this.#finishIdle();
      return 0;
    }
    const urgentOnly = lane === "urgent" || inQuiet;
    const size = lane === "urgent" ? URGENT_BATCH : this.#opts.batchSize;
    const batch = await this.store.deliveries.claim(this.owner, size, new Date(this.#clock.now()), this.#opts.leaseMs, {
      urgentOnly,
      bulkOnly: lane === "bulk",
    });
    if (batch.length === 0) {
      await this.#finishIdle();
      return 0;
    }
    let next = 0;
    const sent: Delivery[] = [];
    // Successes are written in groups (every SETTLE_EVERY, or each second): a
    // crash (kill -9) re-sends only what was sent since the last write.
    let settled = 0;
    let lastSettle = this.#clock.now();
    let settling = Promise.resolve();
    const settle = () =>
      (settling = settling.then(async () => {
        const done = sent.slice(settled);
        settled += done.length;
        lastSettle = this.#clock.now();
        if (done.length === 0) return;
        await this.store.deliveries.settleSent(
          done.map((d) => d.id),
          this.owner,
        );
        for (const d of done) this.#opts.observe?.settled(d.platform, "sent");
      }));
    const worker = async () => {
      while (next < batch.length) {
        const d = batch[next++]!;
        if (!(await this.#deliver(d))) continue;
        sent.push(d);
        if (sent.length - settled >= SETTLE_EVERY || this.#clock.now() - lastSettle >= 1000) await settle();
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.#opts.concurrency, batch.length) }, worker));
    } finally {
      await settle();
    }
    return batch.length;
  }

  /** Runs until `stop()`. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    // Two loops, each with its own deliveries: the urgent ones (match notices, reminders) in small batches, so one
    // queued behind a broadcast's claimed batch (a hundred at the broadcast's pace) goes out at once; and the rest.
    // Never both on one delivery: what a crash can send twice stays one loop's batch in flight and unsettled.
    const loop = async (lane: "bulk" | "urgent") => {
      while (this.#running) {
        try {
          if ((await this.runOnce(new Date(this.#clock.now()), lane)) === 0)
            await new Promise((r) => setTimeout(r, this.#opts.idleMs));
        } catch (err) {
          this.logger.error({ err: (err as Error).message, lane }, "delivery loop failed; retrying");
          await new Promise((r) => setTimeout(r, this.#opts.idleMs));
        }
      }
    };
    this.#loop = Promise.all([loop("bulk"), loop("urgent")]).then(() => undefined);
  }

  /** Lets the batch in flight finish, then stops. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  /** Runs until the broadcast has nothing pending (the CLI's `broadcast`). */
  async drain(broadcastId: string, onProgress?: () => void | Promise<void>): Promise<void> {
    for (;;) {
      const handled = await this.runOnce();
      await onProgress?.();
      const p = await this.store.deliveries.progress(broadcastId);
      if (p.pending === 0) {
        await this.#finishIdle();
        return;
      }
      if (handled === 0) await new Promise((r) => setTimeout(r, this.#opts.idleMs));
    }
  }

  /** Sends one delivery: true when sent (settled with its batch); otherwise settles it here. */
  async #deliver(d: Delivery): Promise<boolean> {
    const api = this.apis.get(d.platform);
    if (!api) {
      const later = new Date(this.#clock.now() + 60_000);
      await this.store.deliveries.retryLater(d.id, this.owner, later, "no bot for platform", false);
      return false;
    }
    this.#touched.add(d.broadcastId);
    if ((this.#tokenPausedUntil.get(d.platform) ?? 0) > this.#clock.now()) {
      // The platform refused our token: nothing is tried (nor anyone marked) until the pause ends.
      await this.#afterTokenPause(d);
      return false;
    }
    // The chat's limit, then the bot's: pushes before broadcasts, both after replies to people.
    await this.budget.acquire(d.platform, laneOf(d), d.chatId);
    try {
      const text = this.#opts.personalize ? await this.#opts.personalize(d) : d.text;
      const markup = this.#markup(d);
      if (d.photo && d.photo.platform === d.platform) {
        // A caption holds 1024 characters; a longer text follows the photo.
        if ([...text].length <= 1024) await api.sendPhoto(d.chatId, d.photo.fileId, { caption: text, ...markup });
        else {
          await api.sendPhoto(d.chatId, d.photo.fileId);
          await this.budget.acquire(d.platform, laneOf(d), d.chatId);
          await api.sendMessage(d.chatId, text, markup);
        }
      } else await api.sendMessage(d.chatId, text, markup);
      this.#tokenWorks(d.platform);
      return true;
    } catch (error) {
      await this.#settle(d, classify(error, capabilitiesOf(d.platform)));
      return false;
    }
  }

  #markup(d: Delivery) {
    const rows: InlineKeyboardButton[][] = [];
    for (const row of d.buttons ?? []) rows.push(row.map((b) => ({ text: b.text, callback_data: b.data })));
    if (d.link) rows.push([{ text: d.link.text, url: d.link.url }]);
    if (d.imIn && this.#opts.imInLabel)
      rows.push([{ text: this.#opts.imInLabel, callback_data: imInData(d.broadcastId) }]);
    if (!d.urgent && this.#opts.optOutLabel) rows.push([{ text: this.#opts.optOutLabel, callback_data: OPT_OUT_DATA }]);
    return rows.length ? { reply_markup: { inline_keyboard: rows } } : {};
  }

  async #settle(d: Delivery, outcome: Outcome): Promise<void> {
    const { deliveries } = this.store;
    // A refusal that may be our token's is counted once it is known what it was.
    if (outcome.type !== "token_suspect" && outcome.type !== "rate_limited")
      this.#opts.observe?.settled(d.platform, outcome.type);
    switch (outcome.type) {
      case "sent":
        return deliveries.settleSent([d.id], this.owner);
      case "rate_limited":
        await this.budget.rateLimited(d.platform, laneOf(d), outcome.retryAfter);
        return deliveries.retryLater(
          d.id,
          this.owner,
          new Date(this.#clock.now() + outcome.retryAfter * 1000),
          "429",
          false,
        );
      case "token_suspect":
        if (await this.#tokenRefused(d.platform)) return this.#afterTokenPause(d);
        this.#opts.observe?.settled(d.platform, "unreachable");
        return this.#markUnreachable(d, outcome.reason);
      case "unreachable":
        return this.#markUnreachable(d, outcome.reason);
      case "transient": {
        if (d.attempts + 1 >= this.#opts.maxAttempts)
          return deliveries.settle(d.id, this.owner, "failed", outcome.reason);
        const backoff = Math.min(60_000, 1000 * 2 ** d.attempts);
        return deliveries.retryLater(d.id, this.owner, new Date(this.#clock.now() + backoff), outcome.reason, true);
      }
      case "failed":
        return deliveries.settle(d.id, this.owner, "failed", outcome.reason);
    }
  }

  async #markUnreachable(d: Delivery, reason: string): Promise<void> {
    // A private chat's id is the user's id.
    await this.store.people.setReachable({ platform: d.platform, userId: d.chatId }, false);
    const flips = (this.#flips.get(d.platform) ?? []).filter((f) => f.at > this.#clock.now() - FLIP_MEMORY_MS);
    flips.push({ chatId: d.chatId, at: this.#clock.now() });
    this.#flips.set(d.platform, flips);
    return this.store.deliveries.settle(d.id, this.owner, "unreachable", reason);
  }

  /** Gives a delivery back until its platform's token pause ends (an attempt not counted: nobody's fault). */
  #afterTokenPause(d: Delivery): Promise<void> {
    const until = this.#tokenPausedUntil.get(d.platform) ?? this.#clock.now() + this.#opts.tokenPauseMs;
    return this.store.deliveries.retryLater(d.id, this.owner, new Date(until), "token refused", false);
  }

  /** A send went through: the token works (and a pause for a refused token is over). */
  #tokenWorks(platform: Platform): void {
    this.#tokenOkAt.set(platform, this.#clock.now());
    if (this.#tokenPausedUntil.delete(platform)) {
      this.logger.info({ platform }, "the platform accepts the bot's token again: its deliveries resume");
      this.#opts.onToken?.(platform, true);
    }
  }

  /**
   * Whether the platform refuses our token, asked with getMe. When it does, the platform's
   * deliveries pause, and the reachability flips made since the token last
   * worked are undone: they were the bad token's, not the people's.
   */
  async #tokenRefused(platform: Platform): Promise<boolean> {
    const until = this.#tokenPausedUntil.get(platform);
    if (until !== undefined && this.#clock.now() < until) return true;
    // Asked every time (concurrent refusals share one getMe): a token that worked a moment ago may be revoked now,
    // and the cost is one call per person who really blocked us.
    let check = this.#tokenChecks.get(platform);
    if (!check) {
      check = this.apis
        .get(platform)!
        .getMe()
        .then(
          () => false,
          (error: unknown) => tokenRefused(error, capabilitiesOf(platform)),
        )
        .finally(() => this.#tokenChecks.delete(platform));
      this.#tokenChecks.set(platform, check);
    }
    if (!(await check)) {
      this.#tokenWorks(platform);
      return false;
    }
    this.#tokenPausedUntil.set(platform, this.#clock.now() + this.#opts.tokenPauseMs);
    if (until === undefined) {
      // The first refusal of this episode: undo what the bad token made us believe, and say so once.
      const since = this.#tokenOkAt.get(platform) ?? 0;
      const undo = (this.#flips.get(platform) ?? []).filter((f) => f.at >= since);
      for (const f of undo) await this.store.people.setReachable({ platform, userId: f.chatId }, true);
      this.#flips.set(platform, []);
      this.logger.error(
        { platform, undone: undo.length },
        "the platform refuses the bot's token: its deliveries pause until it is accepted again",
      );
      this.#opts.onToken?.(platform, false);
    }
    return true;
  }

  /** Marks the broadcasts this engine worked on as done once nothing is pending. */
  async #finishIdle(): Promise<void> {
    for (const id of [...this.#touched]) {
      const p = await this.store.deliveries.progress(id);
      if (p.pending > 0) continue;
      this.#touched.delete(id);
      const b = await this.store.deliveries.getBroadcast(id);
      if (b?.status === "running") await this.store.deliveries.setBroadcastStatus(id, "done");
    }
  }
}
