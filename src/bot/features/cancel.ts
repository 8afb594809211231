import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/** `/cancel` leaves whatever conversation is active. Installed before the conversations. */
export const cancelFeature = new Composer<BotContext>();

cancelFeature.command("cancel", async (ctx) => {
  const active = ctx.conversation.active();
  await ctx.conversation.exitAll();
  // A paused registration keeps its saved answers; say so.
  const key = active.registration
    ? "registration.cancelled"
    : Object.keys(active).length > 0
      ? "common.cancelled"
      : "common.nothing_to_cancel";
  await ctx.reply(ctx.t(key), {
    reply_markup: { remove_keyboard: true },
  });
});
