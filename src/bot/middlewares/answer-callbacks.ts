import type { Context, MiddlewareFn } from "grammy";
import type { HamdelFlavor } from "../context.js";

/**
 * Answers any callback query a handler left unanswered, where the platform
 * requires it (Bale keeps the button spinning otherwise).
 */
export function answerCallbacks<C extends Context & HamdelFlavor>(): MiddlewareFn<C> {
  return async (ctx, next) => {
    if (!ctx.callbackQuery || !ctx.caps.mustAnswerCallbacks) return next();
    let answered = false;
    ctx.api.config.use((prev, method, payload, signal) => {
      if (method === "answerCallbackQuery") answered = true;
      return prev(method, payload, signal);
    });
    await next();
    if (!answered) await ctx.answerCallbackQuery().catch(() => undefined);
  };
}
