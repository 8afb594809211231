import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/** `/cancel` leaves whatever conversation is active. Installed before the conversations. */
export const cancelFeature = new Composer<BotContext>();

cancelFeature.command("cancel", async (ctx) => {
  const active = Object.keys(ctx.conversation.active()).length > 0;
  await ctx.conversation.exitAll();
  await ctx.reply(ctx.t(active ? "common.cancelled" : "common.nothing_to_cancel"), {
    reply_markup: { remove_keyboard: true },
  });
});
