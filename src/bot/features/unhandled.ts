import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/** Last in the chain: a polite answer to anything no feature took. */
export const unhandledFeature = new Composer<BotContext>();

unhandledFeature.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("unhandled.callback") }));

/**
 * A person whose registration is unfinished (its conversation state was lost:
 * it expired, Redis was unreachable on this worker, a release changed the
 * conversation) is told how to continue: /start resumes at the first
 * unanswered step from the draft in the store.
 */
unhandledFeature
  .chatType("private")
  .on("message", (ctx) =>
    ctx.reply(
      ctx.t(ctx.person && !ctx.person.registeredAt && !ctx.person.erasedAt ? "unhandled.unfinished" : "unhandled.text"),
    ),
  );
