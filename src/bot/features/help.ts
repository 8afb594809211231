import { Composer } from "grammy";
import { senderActor } from "../helpers/roles.js";
import { menuOf } from "../commands.js";
import type { BotContext } from "../context.js";

/** `/help`: the commands of the asker's own menu (a coordinator sees theirs too), from the one registry. */
export const helpFeature = new Composer<BotContext>();

helpFeature.command("help", async (ctx) => {
  const actor = ctx.from ? await senderActor(ctx) : null;
  const roles = [...new Set(actor?.grants.map((g) => g.role) ?? [])];
  const lines = menuOf(roles).map((name) => `/${name} — ${ctx.t(`commands.${name}`)}`);
  await ctx.reply(ctx.t("help.text", { commands: lines.join("\n") }));
});
