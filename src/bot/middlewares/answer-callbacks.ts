import type { Context, MiddlewareFn, Transformer } from "grammy";
import type { HamdelFlavor } from "../context.js";

/**
 * Answers any callback query a handler left unanswered, where the platform
 * requires it (Bale keeps the button spinning otherwise), and turns away
 * callbacks that come without their message.
 *
 * A conversation answers through its own API object, rebuilt on every replay,
 * so the answer is noticed by query id through {@link CallbackAnswers.track},
 * installed on the bot's API and on every conversation's: one answer per
 * button press, never a second call for one already answered.
 */
export class CallbackAnswers {
  /** Queries being handled now, and whether they were answered. */
  readonly #pending = new Map<string, boolean>();

  readonly track: Transformer = (prev, method, payload, signal) => {
    if (method === "answerCallbackQuery") {
      const id = (payload as { callback_query_id?: string }).callback_query_id;
      if (id !== undefined && this.#pending.has(id)) this.#pending.set(id, true);
    }
    return prev(method, payload, signal);
  };

  middleware<C extends Context & HamdelFlavor>(): MiddlewareFn<C> {
    return async (ctx, next) => {
      const query = ctx.callbackQuery;
      // Every button we send sits on a message in a chat; one without a message (inline, or forged) acts on nothing.
      if (query && !query.message) {
        await ctx.answerCallbackQuery({ text: ctx.t("unhandled.callback") });
        return;
      }
      if (!query || !ctx.caps.mustAnswerCallbacks) return next();
      this.#pending.set(query.id, false);
      let answered: boolean | undefined;
      try {
        await next();
      } finally {
        answered = this.#pending.get(query.id);
        this.#pending.delete(query.id);
      }
      // After an error the boundary answers, with its apology.
      if (!answered) await ctx.answerCallbackQuery().catch(() => undefined);
    };
  }
}
