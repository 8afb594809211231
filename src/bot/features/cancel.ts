import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { forgetAwaitedDocument } from "./screening.js";

/** `/cancel` leaves whatever conversation is active. Installed before the conversations. */
export const cancelFeature = new Composer<BotContext>();

cancelFeature.command("cancel", async (ctx) => {
  const active = ctx.conversation.active();
  await ctx.conversation.exitAll();
  const awaitedDocument = await forgetAwaitedDocument(ctx);
  // A paused registration keeps its saved answers; say so.
  const key = active.registration
    ? "registration.cancelled"
    : Object.keys(active).length > 0 || awaitedDocument
      ? "common.cancelled"
      : "common.nothing_to_cancel";
  await ctx.reply(ctx.t(key), {
    reply_markup: { remove_keyboard: true },
  });
});
