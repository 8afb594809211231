import { randomUUID } from "node:crypto";
import { GrammyError, HttpError, type Api } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { DEFAULT_QUIET_HOURS, isQuiet, type QuietHours } from "../domain/quiet-hours.js";
import type { Logger } from "../logger.js";
import type { Platform } from "../platforms/capabilities.js";
import type { Delivery, Store } from "../store/port.js";
import type { RateLimiter } from "./rate-limiter.js";

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
  /** Told each settled delivery's outcome, and each 429 (metrics). */
  observe?: { settled(platform: Platform, status: string): void; rateLimited(platform: Platform): void };
}

/** What became of one attempt to send. */
export type Outcome =
  | { type: "sent" }
  | { type: "rate_limited"; retryAfter: number }
  | { type: "unreachable"; reason: string }
  | { type: "transient"; reason: string }
  | { type: "failed"; reason: string };

/** Sorts a Bot API error into what the engine does next. */
export function classify(error: unknown): Outcome {
  if (error instanceof GrammyError) {
    if (error.error_code === 429) return { type: "rate_limited", retryAfter: error.parameters.retry_after ?? 5 };
    if (error.error_code === 403) return { type: "unreachable", reason: error.description };
    if (error.error_code === 400 && /chat not found|user is deactivated|bot was kicked/i.test(error.description))
      return { type: "unreachable", reason: error.description };
    if (error.error_code >= 500) return { type: "transient", reason: `${error.error_code} ${error.description}` };
    return { type: "failed", reason: `${error.error_code} ${error.description}` };
  }
  if (error instanceof HttpError) return { type: "transient", reason: error.message };
  return { type: "failed", reason: error instanceof Error ? error.message : String(error) };
}

export const OPT_OUT_DATA = "optout:campaigns";

/** The «I'm in» button's data: `in:<broadcast id>`. */
export const imInData = (broadcastId: string) => `in:${broadcastId}`;
export const parseImIn = (data: string | undefined) => /^in:([0-9a-f-]{36})$/.exec(data ?? "")?.[1];

/** Sent deliveries written to the store at a time (and at least each second). */
const SETTLE_EVERY = 20;

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
  /** When each chat last got a message from this engine: never more than one a second. */
  readonly #lastByChat = new Map<string, number>();
  readonly #opts: Required<Omit<EngineOptions, "owner" | "optOutLabel" | "imInLabel" | "personalize" | "observe">> &
    Pick<EngineOptions, "optOutLabel" | "imInLabel" | "personalize" | "observe">;

  constructor(
    private readonly store: Store,
    private readonly apis: ReadonlyMap<Platform, Api>,
    private readonly limiter: RateLimiter,
    private readonly logger: Logger,
    options: EngineOptions,
  ) {
    this.owner = options.owner ?? `engine-${randomUUID().slice(0, 8)}`;
    this.#opts = {
      batchSize: 100,
      leaseMs: 60_000,
      concurrency: 32,
      maxAttempts: 5,
      quietHours: DEFAULT_QUIET_HOURS,
      idleMs: 500,
      ...options,
    };
  }

  /**
   * Claims and sends one batch; returns how many deliveries it handled.
   * `localTime` decides quiet hours (tests set it); leases use the real clock.
   */
  async runOnce(localTime = new Date()): Promise<number> {
    const quiet = this.#opts.quietHours;
    const urgentOnly = quiet !== null && isQuiet(localTime, this.#opts.timeZone, quiet);
    const batch = await this.store.deliveries.claim(this.owner, this.#opts.batchSize, new Date(), this.#opts.leaseMs, {
      urgentOnly,
    });
    if (batch.length === 0) {
      await this.#finishIdle();
      return 0;
    }
    const stale = Date.now() - 2000;
    for (const [chat, at] of this.#lastByChat) if (at < stale) this.#lastByChat.delete(chat);
    let next = 0;
    const sent: Delivery[] = [];
    // Successes are written in groups (every SETTLE_EVERY, or each second): a
    // crash (kill -9) re-sends only what was sent since the last write.
    let settled = 0;
    let lastSettle = Date.now();
    let settling = Promise.resolve();
    const settle = () =>
      (settling = settling.then(async () => {
        const done = sent.slice(settled);
        settled += done.length;
        lastSettle = Date.now();
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
        if (sent.length - settled >= SETTLE_EVERY || Date.now() - lastSettle >= 1000) await settle();
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
    this.#loop = (async () => {
      while (this.#running) {
        try {
          if ((await this.runOnce()) === 0) await new Promise((r) => setTimeout(r, this.#opts.idleMs));
        } catch (err) {
          this.logger.error({ err: (err as Error).message }, "delivery loop failed; retrying");
          await new Promise((r) => setTimeout(r, this.#opts.idleMs));
        }
      }
    })();
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
      const later = new Date(Date.now() + 60_000);
      await this.store.deliveries.retryLater(d.id, this.owner, later, "no bot for platform", false);
      return false;
    }
    this.#touched.add(d.broadcastId);
    // Reserve this chat's next slot before waiting, so concurrent sends to one chat queue up.
    const chatKey = `${d.platform}:${d.chatId}`;
    const slot = Math.max(Date.now(), (this.#lastByChat.get(chatKey) ?? 0) + 1000);
    this.#lastByChat.set(chatKey, slot);
    if (slot > Date.now()) await new Promise((r) => setTimeout(r, slot - Date.now()));
    await this.limiter.acquire(d.platform);
    try {
      const text = this.#opts.personalize ? await this.#opts.personalize(d) : d.text;
      const markup = this.#markup(d);
      if (d.photo && d.photo.platform === d.platform) {
        // A caption holds 1024 characters; a longer text follows the photo.
        if ([...text].length <= 1024) await api.sendPhoto(d.chatId, d.photo.fileId, { caption: text, ...markup });
        else {
          await api.sendPhoto(d.chatId, d.photo.fileId);
          await api.sendMessage(d.chatId, text, markup);
        }
      } else await api.sendMessage(d.chatId, text, markup);
      return true;
    } catch (error) {
      await this.#settle(d, classify(error));
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
    const { deliveries, people } = this.store;
    if (outcome.type === "rate_limited") this.#opts.observe?.rateLimited(d.platform);
    else this.#opts.observe?.settled(d.platform, outcome.type);
    switch (outcome.type) {
      case "sent":
        return deliveries.settleSent([d.id], this.owner);
      case "rate_limited":
        await this.limiter.pause(d.platform, outcome.retryAfter);
        return deliveries.retryLater(d.id, this.owner, new Date(Date.now() + outcome.retryAfter * 1000), "429", false);
      case "unreachable":
        // A private chat's id is the user's id.
        await people.setReachable({ platform: d.platform, userId: d.chatId }, false);
        return deliveries.settle(d.id, this.owner, "unreachable", outcome.reason);
      case "transient": {
        if (d.attempts + 1 >= this.#opts.maxAttempts)
          return deliveries.settle(d.id, this.owner, "failed", outcome.reason);
        const backoff = Math.min(60_000, 1000 * 2 ** d.attempts);
        return deliveries.retryLater(d.id, this.owner, new Date(Date.now() + backoff), outcome.reason, true);
      }
      case "failed":
        return deliveries.settle(d.id, this.owner, "failed", outcome.reason);
    }
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
