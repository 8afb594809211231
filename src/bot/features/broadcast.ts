import { Composer } from "grammy";
import { parseImIn } from "../../delivery/engine.js";
import { broadcastControl } from "../../delivery/monitor.js";
import type { BotContext } from "../context.js";
import { inConversation } from "../helpers/conversation.js";
import { actorOf, isNationalAdmin } from "../helpers/roles.js";

/** `/broadcast` and the pause / resume / cancel buttons of its progress message; national admins only. */
export const broadcastFeature = new Composer<BotContext>();

broadcastFeature.chatType("private").command("broadcast", async (ctx) => {
  if (!isNationalAdmin(ctx)) {
    ctx.log.warn({ actor: actorOf(ctx), action: "broadcast.compose" }, "refused: not a coordinator");
    return ctx.reply(ctx.t("broadcast.not_allowed"));
  }
  if (inConversation(ctx)) return ctx.reply(ctx.t("registration.busy"));
  await ctx.conversation.enter("broadcast");
});

broadcastFeature.callbackQuery(/^bc:/, async (ctx) => {
  const control = broadcastControl.parse(ctx.callbackQuery.data);
  if (!isNationalAdmin(ctx)) {
    ctx.log.warn({ actor: actorOf(ctx), action: "broadcast.control" }, "refused: not a coordinator");
    return ctx.answerCallbackQuery({ text: ctx.t("broadcast.not_allowed"), show_alert: true });
  }
  if (!control) return ctx.answerCallbackQuery({ text: ctx.t("registration.invalid_button") });
  const { deliveries } = ctx.deps.store;
  const broadcast = await deliveries.getBroadcast(control.id);
  if (!broadcast || broadcast.status === "done" || broadcast.status === "cancelled")
    return ctx.answerCallbackQuery({ text: ctx.t("registration.stale_button") });
  const status = control.action === "pause" ? "paused" : control.action === "resume" ? "running" : "cancelled";
  await deliveries.setBroadcastStatus(control.id, status);
  ctx.log.info(
    { audit: { actor: actorOf(ctx), action: `broadcast.${control.action}`, broadcast: control.id } },
    "coordinator action",
  );
  await ctx.answerCallbackQuery({ text: ctx.t("broadcast.changed") });
  await ctx.deps.broadcasts.tick(control.id);
});

/** A volunteer's «I'm in» under a broadcast: counted once per person. */
broadcastFeature.callbackQuery(/^in:/, async (ctx) => {
  const id = parseImIn(ctx.callbackQuery.data);
  const broadcast = id ? await ctx.deps.store.deliveries.getBroadcast(id) : null;
  if (!broadcast?.imIn || !ctx.person) return ctx.answerCallbackQuery({ text: ctx.t("registration.invalid_button") });
  const first = await ctx.deps.store.deliveries.respond(broadcast.id, ctx.person.id);
  await ctx.answerCallbackQuery({ text: ctx.t(first ? "broadcast.im_in_thanks" : "broadcast.im_in_already") });
});
