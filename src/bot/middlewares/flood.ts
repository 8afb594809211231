import type { Context, MiddlewareFn } from "grammy";
import type { HamdelFlavor } from "../context.js";

export interface FloodOptions {
  /** Updates a person may send at once. */
  burst: number;
  /** Sustained updates per second. */
  perSecond: number;
  /** At most one "slow down" notice per this many ms. */
  noticeEveryMs: number;
}

export const DEFAULT_FLOOD: FloodOptions = { burst: 12, perSecond: 3, noticeEveryMs: 10_000 };

/**
 * Per-person flood protection (a token bucket per platform account). Someone
 * sending dozens of updates a second gets one polite notice and their excess
 * updates are set aside; everyone else is unaffected (the check is O(1) and
 * happens before any work). Buckets live in this process: each worker guards
 * what it receives.
 */
export function floodGuard<C extends Context & HamdelFlavor>(options: FloodOptions = DEFAULT_FLOOD): MiddlewareFn<C> {
  const buckets = new Map<string, { tokens: number; at: number; noticedAt: number }>();
  let sweptAt = Date.now();
  return async (ctx, next) => {
    const from = ctx.from?.id;
    if (from === undefined) return next();
    const now = Date.now();
    if (now - sweptAt > 60_000) {
      // Forget people who have been quiet for a minute: their bucket would be full anyway.
      for (const [k, b] of buckets) if (now - b.at > 60_000) buckets.delete(k);
      sweptAt = now;
    }
    const key = `${ctx.caps.platform}:${from}`;
    const b = buckets.get(key) ?? { tokens: options.burst, at: now, noticedAt: 0 };
    b.tokens = Math.min(options.burst, b.tokens + ((now - b.at) / 1000) * options.perSecond);
    b.at = now;
    buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return next();
    }
    ctx.log.warn({ platform: ctx.caps.platform }, "flood: update set aside");
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("flood.slow_down") }).catch(() => undefined);
    else if (now - b.noticedAt >= options.noticeEveryMs && ctx.chat?.type === "private") {
      b.noticedAt = now;
      await ctx.reply(ctx.t("flood.slow_down")).catch(() => undefined);
    }
  };
}
