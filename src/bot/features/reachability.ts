import { Composer, type MiddlewareFn } from "grammy";
import { setReachable } from "../../services/people.js";
import type { BotContext } from "../context.js";

/**
 * Someone marked unreachable (a delivery was refused as blocked) who writes
 * or presses a button again can be reached again. On a platform without
 * membership updates (Bale: no `my_chat_member`) this is the only way back;
 * on Telegram it also covers an unblock whose update was missed.
 */
export const reachableAgain: MiddlewareFn<BotContext> = async (ctx, next) => {
  const identity =
    ctx.chat?.type === "private" && (ctx.message || ctx.callbackQuery) && ctx.from
      ? ctx.person?.identities.find((i) => i.platform === ctx.caps.platform && i.userId === String(ctx.from!.id))
      : undefined;
  if (identity && !identity.reachable) {
    await setReachable(ctx.deps.store, { platform: identity.platform, userId: identity.userId }, true);
    identity.reachable = true;
    ctx.log.info({ reachable: true }, "reachable again: the person wrote to the bot");
  }
  await next();
};

/**
 * The platform tells us when a person blocks the bot (`kicked`) or comes
 * back: keep the identity's reachability in step, so broadcasts skip them.
 */
export const reachabilityFeature = new Composer<BotContext>();

reachabilityFeature.on("my_chat_member", async (ctx) => {
  const update = ctx.myChatMember;
  if (update.chat.type !== "private") return;
  const reachable = update.new_chat_member.status !== "kicked";
  await setReachable(ctx.deps.store, { platform: ctx.caps.platform, userId: String(update.from.id) }, reachable);
  ctx.log.info({ reachable }, "reachability changed");
});
