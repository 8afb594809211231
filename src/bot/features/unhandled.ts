import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/** Last in the chain: a polite answer to anything no feature took. */
export const unhandledFeature = new Composer<BotContext>();

unhandledFeature.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("unhandled.callback") }));

/**
 * A person whose registration is unfinished (consent given and answers saved, but its conversation state was lost:
 * it expired, Redis was unreachable on this worker, a release changed the
 * conversation) is told how to continue: /start resumes at the first
 * unanswered step from the draft in the store.
 */
unhandledFeature.chatType("private").on("message", async (ctx) => {
  const person = ctx.person;
  // Only a registration begun (consent given, answers saved) is waiting: someone who declined, or never started, is not.
  const begun =
    person &&
    !person.registeredAt &&
    !person.erasedAt &&
    !!(await ctx.deps.store.people.getDraft(person.id))?.consentAt;
  await ctx.reply(ctx.t(begun ? "unhandled.unfinished" : "unhandled.text"));
});
