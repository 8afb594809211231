import { Composer } from "grammy";
import { audit, isCoordinator } from "../../services/access.js";
import { senderActor } from "../helpers/roles.js";
import type { BotContext } from "../context.js";

/**
 * `/console`: a one-time link into the coordinators' web console (5 minutes,
 * once), for people who hold a role; everyone else is told what it is for.
 */
export const consoleFeature = new Composer<BotContext>();

consoleFeature.chatType("private").command("console", async (ctx) => {
  const ref = { platform: ctx.caps.platform, userId: String(ctx.from.id) };
  const actor = await senderActor(ctx);
  const allowed = isCoordinator(actor);
  await audit(ctx.deps.store, ctx.deps.logger, {
    actor: actor.id,
    action: "console.link",
    scope: "*",
    target: null,
    outcome: allowed ? "ok" : "refused",
  });
  if (!allowed) return ctx.reply(ctx.t("console.link_not_allowed"));
  // Plain text, not a URL button: platforms refuse a button to a local address (the playground's).
  await ctx.reply(ctx.t("console.link", { url: ctx.deps.console.linkFor(ref) }), {
    link_preview_options: { is_disabled: true },
  });
});
