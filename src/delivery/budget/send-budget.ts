import { createHash, randomUUID } from "node:crypto";
import { systemClock, type Clock } from "../../domain/clock.js";
import type { Logger } from "../../logger.js";
import type { Platform } from "../../platforms/capabilities.js";
import { memoryBackend, type BudgetBackend } from "./backends.js";
import { ChatPacer, type ChatLimits } from "./chat-pacer.js";
import {
  DEFAULT_LIMITS,
  heartbeat,
  LANES,
  laneIndex,
  leave,
  merge,
  rateLimited,
  restamp,
  take,
  chatTag,
  type Admission,
  type BudgetLimits,
  type BudgetState,
  type Lane,
  type TakeResult,
} from "./policy.js";

export interface BudgetBot {
  platform: Platform;
  token: string;
  /** The platform's total for this token, messages per second. */
  rate: number;
  /** A broadcast's own ceiling (at most `rate`). */
  bulkRate: number;
  chat: ChatLimits;
}

/** An admission that reaches its send later than this (ms) is recorded again at the time it went. */
const LATE_MS = 10;
/** Told what the budget does, per platform and lane (Prometheus counters). */
export interface BudgetObserver {
  sent(platform: Platform, lane: Lane, waitedSeconds: number): void;
  rateLimited(platform: Platform, lane: Lane): void;
}

export interface SendBudgetOptions {
  /** This process's name in the shared state. */
  proc?: string;
  observe?: BudgetObserver;
  logger?: Logger;
  /** A shared call slower than this counts as failed (the local fallback takes over). */
  sharedTimeoutMs?: number;
  heartbeatMs?: number;
  limits?: Partial<Omit<BudgetLimits, "rate" | "bulkRate">>;
  /** The clock admissions are kept by (the machine's unless a test moves time). */
  clock?: Clock;
}

interface Waiter {
  resolve(): void;
  queuedAt: number;
  /** The chat's tag (`chatTag`), for the replies' share. */
  chat?: number;
}

interface Token {
  bot: BudgetBot;
  key: string;
  limits: BudgetLimits;
  lanes: [Waiter[], Waiter[], Waiter[]];
  pumping: boolean;
  chats: ChatPacer;
  /** The shared state as last read: the fallback starts from it. */
  seen: BudgetState | undefined;
}

/** The processes assumed to share a token when the shared state was never seen (a start while Redis is away). */
const UNSEEN_SHARE = 4;

/** While the shared backend fails, how often it is tried again. */
const SHARED_RETRY_MS = 250;

/** (grammY hands its HTTP client a polyfilled signal, without `throwIfAborted`.) */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error("The call was abandoned while it waited to be sent.");
}

/**
 * One send budget per bot token, shared by every process that sends with it
 * (see `policy.ts` for the rule, `backends.ts` for where it is kept). Each
 * send first waits for its chat (per-chat limits, this process), then for
 * the token: waiting sends queue by lane here, and the head of the highest
 * lane asks the shared state for a slot.
 *
 * When the shared backend fails (Redis away), this process goes on with a
 * budget of its own, started from the last shared state it saw and cut to
 * its share (the rate divided by the processes that were sending); what it
 * sends meanwhile is added to the shared state when it answers again, so the
 * window stays whole across the failure.
 */
export class SendBudget {
  readonly proc: string;
  readonly #tokens = new Map<Platform, Token>();
  #fallback = memoryBackend((key) => this.#seenByKey(key));
  /** Admissions made on the fallback, per token key, to be merged back. */
  readonly #unmerged = new Map<string, Admission[]>();
  #sharedDownUntil = 0;
  /** Sending on this process's own share (said once when it begins, once when it ends). */
  #degraded = false;
  #engine = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #clock: Clock;
  readonly #opts: Required<Pick<SendBudgetOptions, "sharedTimeoutMs" | "heartbeatMs">> & SendBudgetOptions;

  constructor(
    private readonly backend: BudgetBackend,
    bots: readonly BudgetBot[],
    options: SendBudgetOptions = {},
  ) {
    this.proc = options.proc ?? `${process.pid}-${randomUUID().slice(0, 8)}`;
    this.#opts = { sharedTimeoutMs: 1000, heartbeatMs: 3000, ...options };
    this.#clock = options.clock ?? systemClock;
    for (const bot of bots) {
      const key = `${bot.platform}:${createHash("sha256").update(bot.token).digest("hex").slice(0, 16)}`;
      this.#tokens.set(bot.platform, {
        bot,
        key,
        limits: { ...DEFAULT_LIMITS, ...options.limits, rate: bot.rate, bulkRate: Math.min(bot.rate, bot.bulkRate) },
        lanes: [[], [], []],
        pumping: false,
        chats: new ChatPacer(bot.chat),
        seen: undefined,
      });
    }
  }

  get kind(): BudgetBackend["kind"] {
    return this.backend.kind;
  }

  /** Starts the membership heartbeat; `engine`: this process runs a delivery engine (the CLI's lease test). */
  start({ engine }: { engine: boolean }): void {
    this.#engine = engine;
    if (this.#timer) return;
    const beat = () => void this.#beat();
    beat();
    this.#timer = setInterval(beat, this.#opts.heartbeatMs);
    this.#timer.unref();
  }

  /**
   * Waits until one message may go to `chatId` in `lane`. A send not made
   * after all (the process stopping) still counts: the budget errs on the
   * side of the platform. `signal`: the call was abandoned (its timeout):
   * it leaves the queue, and this rejects with the signal's reason.
   */
  async acquire(platform: Platform, lane: Lane, chatId?: string | number, signal?: AbortSignal): Promise<void> {
    const t = this.#tokens.get(platform);
    if (!t) return;
    throwIfAborted(signal);
    const queuedAt = this.#clock.now();
    if (chatId !== undefined) {
      const wait = t.chats.reserve(String(chatId), lane === "reply", this.#clock.now());
      if (wait > 0) await this.#clock.sleep(wait);
      throwIfAborted(signal);
    }
    if (Number.isFinite(t.limits.rate)) {
      await new Promise<void>((resolve, reject) => {
        const queue = t.lanes[laneIndex(lane)];
        const waiter: Waiter = { resolve, queuedAt, ...(chatId !== undefined ? { chat: chatTag(chatId) } : {}) };
        queue.push(waiter);
        if (signal) {
          const abort = () => {
            const i = queue.indexOf(waiter);
            if (i >= 0) queue.splice(i, 1);
            reject(signal.reason);
          };
          signal.addEventListener("abort", abort, { once: true });
          waiter.resolve = () => {
            signal.removeEventListener("abort", abort);
            resolve();
          };
        }
        void this.#pump(t);
      });
    }
    this.#opts.observe?.sent(platform, lane, (this.#clock.now() - queuedAt) / 1000);
  }

  /** The platform answered 429: every lane of the token waits `retryAfter` s; broadcasts back off. */
  async rateLimited(platform: Platform, lane: Lane, retryAfterSeconds: number): Promise<void> {
    const t = this.#tokens.get(platform);
    if (!t) return;
    this.#opts.observe?.rateLimited(platform, lane);
    this.#opts.logger?.warn(
      { platform, lane, retryAfterSeconds },
      "429 from the platform: every lane of the bot waits",
    );
    const now = this.#clock.now();
    await this.#update(t, (s) => rateLimited(s, retryAfterSeconds, now));
  }

  /** Other processes running a delivery engine with this platform's token (the CLI's lease test). */
  async liveEngines(platform: Platform): Promise<number> {
    const t = this.#tokens.get(platform);
    if (!t) return 0;
    const now = this.#clock.now();
    return this.backend.update(t.key, (s) => {
      heartbeat(s, t.limits, this.proc, this.#engine, now);
      return Object.entries(s.members).filter(([proc, m]) => proc !== this.proc && m.engine && m.exp >= now).length;
    });
  }

  /** Sends waiting in this process, per lane (tests, metrics). */
  waiting(platform: Platform): Record<Lane, number> {
    const t = this.#tokens.get(platform);
    return Object.fromEntries(LANES.map((l, i) => [l, t?.lanes[i]?.length ?? 0])) as Record<Lane, number>;
  }

  /** Leaves the shared state (membership and demand); waiting sends are let go. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const t of this.#tokens.values()) {
      for (const lane of t.lanes) for (const w of lane.splice(0)) w.resolve();
      await this.backend.update(t.key, (s) => leave(s, this.proc)).catch(() => undefined);
    }
    await this.backend.close();
  }

  async #beat(): Promise<void> {
    const now = this.#clock.now();
    for (const t of this.#tokens.values())
      await this.#update(t, (s, limits) => heartbeat(s, limits, this.proc, this.#engine, now)).catch(() => undefined);
  }

  /** Admits the waiting sends of one token, highest lane first, one shared call per admission. */
  async #pump(t: Token): Promise<void> {
    if (t.pumping) return;
    t.pumping = true;
    try {
      while (!this.#closed) {
        if (t.lanes.every((l) => l.length === 0)) return;
        const waiting = t.lanes.map((l) => l.length) as [number, number, number];
        // The highest lane that has sends waiting; when replies are over their share, the next one.
        let lane = -1;
        let r: TakeResult = { admitted: false, waitMs: 1 };
        // The time of the decision, taken once the state is read (a shared backend's read takes a while).
        let decided = 0;
        for (let l = 0; l < LANES.length; l++) {
          if (t.lanes[l]!.length === 0) continue;
          const chat = t.lanes[l]![0]!.chat;
          r = await this.#update(t, (s, limits) =>
            take(s, limits, {
              proc: this.proc,
              lane: LANES[l]!,
              waiting,
              now: (decided = this.#clock.now()),
              ...(chat !== undefined ? { chat } : {}),
            }),
          ).catch((err: Error) => {
            this.#opts.logger?.error({ err: err.message }, "send budget failed; waiting before trying again");
            return { admitted: false, waitMs: 100 };
          });
          lane = l;
          if (r.admitted || r.reason !== "reply-share") break;
        }
        if (!r.admitted) {
          await this.#clock.sleep(r.waitMs);
          continue;
        }
        const sent = this.#clock.now();
        t.lanes[lane]!.shift()!.resolve();
        // A slow write: the send goes later than recorded. The window counts it from when it went.
        if (sent - decided > LATE_MS)
          await this.#update(t, (s) => restamp(s, LANES[lane]!, decided, sent)).catch(() => undefined);
      }
    } finally {
      t.pumping = false;
    }
  }

  /** Applies `fn` to the shared state, or to this process's own while the shared backend is failing. */
  async #update<T>(t: Token, fn: (s: BudgetState, limits: BudgetLimits) => T): Promise<T> {
    if (!this.backend.shared) return this.backend.update(t.key, (s) => fn(s, t.limits));
    if (this.#clock.now() >= this.#sharedDownUntil) {
      try {
        const unmerged = this.#unmerged.get(t.key) ?? [];
        const result = await this.#withTimeout(
          this.backend.update(t.key, (s) => {
            merge(s, unmerged);
            const out = fn(s, t.limits);
            t.seen = structuredClone(s);
            return out;
          }),
        );
        if (unmerged.length > 0) this.#unmerged.delete(t.key);
        if (this.#degraded) {
          this.#degraded = false;
          this.#fallback = memoryBackend((key) => this.#seenByKey(key));
          this.#opts.logger?.info({ platform: t.bot.platform }, "send budget shared again");
        }
        return result;
      } catch (err) {
        this.#sharedDownUntil = this.#clock.now() + SHARED_RETRY_MS;
        if (!this.#degraded)
          this.#opts.logger?.warn(
            { err: (err as Error).message, platform: t.bot.platform },
            "send budget unreachable: this process sends on its own share until it returns",
          );
        this.#degraded = true;
      }
    }
    return this.#fallback.update(t.key, (s) => {
      // (`fn` may prune old sends first: what follows the last one it had is new.)
      const last = s.sends.at(-1);
      const out = fn(s, this.#share(t));
      const added = s.sends.slice(last ? s.sends.lastIndexOf(last) + 1 : 0);
      if (added.length > 0) this.#unmerged.set(t.key, [...(this.#unmerged.get(t.key) ?? []), ...added].slice(-1000));
      return out;
    });
  }

  /**
   * This process's share of the token's budget: the rate divided by the
   * processes seen sending with it, or by {@link UNSEEN_SHARE} when this
   * process has never seen the shared state (it started while it was away).
   */
  #share(t: Token): BudgetLimits {
    const now = this.#clock.now();
    const others = Object.entries(t.seen?.members ?? {}).filter(([p, m]) => p !== this.proc && m.exp >= now).length;
    const n = t.seen ? others + 1 : UNSEEN_SHARE;
    return { ...t.limits, rate: t.limits.rate / n, bulkRate: t.limits.bulkRate / n };
  }

  /** The last shared state seen for a key, as this process's fallback: its rate is cut to its share. */
  #seenByKey(key: string): BudgetState | undefined {
    for (const t of this.#tokens.values()) if (t.key === key) return t.seen;
    return undefined;
  }

  #withTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout;
    return Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("send budget timed out")), this.#opts.sharedTimeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }
}
