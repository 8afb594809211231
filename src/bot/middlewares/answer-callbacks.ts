import type { Context, MiddlewareFn, Transformer } from "grammy";
import type { HamdelFlavor } from "../context.js";

/**
 * How long a handler has to answer a button press itself (a toast, an
 * alert) before it is answered empty. A press must stop spinning at once:
 * Telegram refuses answers to a query older than about 15 s, and Bale keeps
 * the button spinning; the handler's replies may meanwhile wait for the send
 * budget (an answer is not a message: it never does).
 */
export const ANSWER_DEADLINE_MS = 600;

interface Pending {
  answered: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * Answers every button press within {@link ANSWER_DEADLINE_MS}, and turns
 * away presses that come without their message.
 *
 * Installed before the per-chat queue (`sequentialize`), so a press is
 * answered in time even while the same person's earlier update is still
 * being handled. A handler that answers before the deadline gets its toast;
 * after it, its answer still goes (a conversation records every call it
 * makes and must see it made on replay), the platform refuses it as a second
 * answer, and `ignoreExpiredCallbackAnswers` (api-guards) takes that 400 as done.
 *
 * A conversation answers through its own API object, rebuilt on every replay,
 * so the answer is noticed by query id through {@link CallbackAnswers.track},
 * installed on the bot's API and on every conversation's: one answer per
 * button press, never a second call for one already answered.
 */
export class CallbackAnswers {
  /** Queries being handled now, and whether they were answered. */
  readonly #pending = new Map<string, Pending>();

  constructor(private readonly deadlineMs = ANSWER_DEADLINE_MS) {}

  readonly track: Transformer = (prev, method, payload, signal) => {
    if (method === "answerCallbackQuery") {
      const id = (payload as { callback_query_id?: string }).callback_query_id;
      const pending = id === undefined ? undefined : this.#pending.get(id);
      if (pending) {
        pending.answered = true;
        clearTimeout(pending.timer);
      }
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
      const pending: Pending = { answered: false };
      this.#pending.set(query.id, pending);
      const answerEmpty = () => {
        if (pending.answered) return;
        pending.answered = true;
        void ctx.answerCallbackQuery().catch(() => undefined);
      };
      pending.timer = setTimeout(answerEmpty, this.deadlineMs);
      try {
        await next();
      } finally {
        clearTimeout(pending.timer);
        // After an error the boundary answers, with its apology; a handler that said nothing is answered empty.
        answerEmpty();
        this.#pending.delete(query.id);
      }
    };
  }
}
