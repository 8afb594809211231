import type { Context, MiddlewareFn } from "grammy";
import type { HamdelFlavor } from "../context.js";

export interface FloodOptions {
  /** Updates a person may send at once. */
  burst: number;
  /** Sustained updates per second. */
  perSecond: number;
  /** At most one "slow down" notice per this many ms. */
  noticeEveryMs: number;
  /**
   * Updates of one person this process may hold at once (handled, or waiting
   * behind their earlier ones and their chat's pace). Beyond it, set aside:
   * a person whose replies are paced cannot pile up work without end.
   */
  inHand: number;
}

export const DEFAULT_FLOOD: FloodOptions = { burst: 12, perSecond: 3, noticeEveryMs: 10_000, inHand: 12 };

/**
 * Per-person flood protection: a token bucket per platform account, in the
 * shared state (`takeToken`: Redis when set, so eight workers see one count;
 * this process otherwise). Someone sending dozens of updates a second gets
 * one polite notice (at most one per `noticeEveryMs`, across workers) and
 * their excess updates are set aside; everyone else is unaffected. When the
 * shared state fails, the update goes through: the per-chat pace of the
 * replies (`delivery/budget/chat-pacer.ts`) and `inHand` still bound it.
 */
export function floodGuard<C extends Context & HamdelFlavor>(options: FloodOptions = DEFAULT_FLOOD): MiddlewareFn<C> {
  const inHand = new Map<string, number>();
  return async (ctx, next) => {
    const from = ctx.from?.id;
    if (from === undefined) return next();
    const key = `${ctx.caps.platform}:${from}`;
    // Counted before anything is awaited: updates arriving together each see the others.
    const held = inHand.get(key) ?? 0;
    inHand.set(key, held + 1);
    const release = () => {
      const left = (inHand.get(key) ?? 1) - 1;
      if (left > 0) inHand.set(key, left);
      else inHand.delete(key);
    };
    const allowed =
      held < options.inHand &&
      (await ctx.deps.state.takeToken(`flood:${key}`, options.burst, options.perSecond).catch(() => true));
    if (allowed) {
      try {
        return await next();
      } finally {
        release();
      }
    }
    release();
    ctx.log.warn({ platform: ctx.caps.platform, held }, "flood: update set aside");
    ctx.deps.metrics.refused.inc({ defence: "flood" });
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: ctx.t("flood.slow_down") }).catch(() => undefined);
      return;
    }
    if (ctx.chat?.type !== "private") return;
    const noticeKey = `flood-notice:${key}`;
    const notice = await ctx.deps.state
      .claimOnce(noticeKey, Math.max(1, Math.ceil(options.noticeEveryMs / 1000)))
      .catch(() => false);
    if (notice) await ctx.reply(ctx.t("flood.slow_down")).catch(() => undefined);
  };
}
