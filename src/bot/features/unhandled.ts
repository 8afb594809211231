import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/** Last in the chain: a polite answer to anything no feature took. */
export const unhandledFeature = new Composer<BotContext>();

unhandledFeature.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("unhandled.callback") }));

unhandledFeature.chatType("private").on("message", (ctx) => ctx.reply(ctx.t("unhandled.text")));
