import type { Context, MiddlewareFn } from "grammy";
import type { HamdelFlavor } from "../context.js";

/**
 * Answers any callback query a handler left unanswered, where the platform
 * requires it (Bale keeps the button spinning otherwise), and turns away
 * callbacks that come without their message.
 */
export function answerCallbacks<C extends Context & HamdelFlavor>(): MiddlewareFn<C> {
  return async (ctx, next) => {
    // Every button we send sits on a message in a chat; one without a message (inline, or forged) acts on nothing.
    if (ctx.callbackQuery && !ctx.callbackQuery.message) {
      await ctx.answerCallbackQuery({ text: ctx.t("unhandled.callback") });
      return;
    }
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
