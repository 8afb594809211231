import { Composer } from "grammy";
import { senderActor } from "../helpers/roles.js";
import { COMMANDS, menuOf } from "../commands.js";
import type { BotContext } from "../context.js";

/**
 * `/help`: the asker's own commands, from the one registry, grouped: what
 * everyone may do, then (for a coordinator) what their roles add, under the
 * roles' names. Nobody is shown a command they may not use.
 */
export const helpFeature = new Composer<BotContext>();

helpFeature.command("help", async (ctx) => {
  const actor = ctx.from ? await senderActor(ctx) : null;
  const roles = [...new Set(actor?.grants.map((g) => g.role) ?? [])];
  const line = (name: string) => `/${name} — ${ctx.t(`commands.${name}`)}`;
  const mine = menuOf(roles);
  const everyone = mine.filter((name) => COMMANDS[name].menu === "everyone");
  const theirs = mine.filter((name) => COMMANDS[name].menu !== "everyone");
  const groups = [`${ctx.t("help.group_everyone")}\n${everyone.map(line).join("\n")}`];
  if (theirs.length)
    groups.unshift(
      `${ctx.t("help.group_roles", { roles: roles.map((r) => ctx.t(`roles.name.${r}`)).join(ctx.t("common.list_separator")) })}\n${theirs.map(line).join("\n")}`,
    );
  await ctx.reply(ctx.t("help.text", { commands: groups.join("\n\n") }));
});
