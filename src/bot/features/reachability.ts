import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/**
 * The platform tells us when a person blocks the bot (`kicked`) or comes
 * back: keep the identity's reachability in step, so broadcasts skip them.
 */
export const reachabilityFeature = new Composer<BotContext>();

reachabilityFeature.on("my_chat_member", async (ctx) => {
  const update = ctx.myChatMember;
  if (update.chat.type !== "private") return;
  const reachable = update.new_chat_member.status !== "kicked";
  await ctx.deps.store.people.setReachable({ platform: ctx.caps.platform, userId: String(update.from.id) }, reachable);
  ctx.log.info({ reachable }, "reachability changed");
});
