import { Composer } from "grammy";
import { parseImIn } from "../../delivery/engine.js";
import { broadcastControl } from "../../delivery/monitor.js";
import type { BotContext } from "../context.js";
import { inConversation } from "../helpers/conversation.js";
import { actorFor, audit, headquartersScopeOf, isNational } from "../../services/access.js";

/** `/broadcast` and the pause / resume / cancel buttons of its progress message; national admins only. */
export const broadcastFeature = new Composer<BotContext>();

const actorOf = (ctx: BotContext) =>
  actorFor(ctx.deps.store, ctx.deps.config, { platform: ctx.caps.platform, userId: String(ctx.from!.id) });

broadcastFeature.chatType("private").command("broadcast", async (ctx) => {
  const actor = await actorOf(ctx);
  if (!headquartersScopeOf(actor)) {
    await audit(ctx.deps.store, ctx.deps.logger, {
      actor: actor.id,
      action: "broadcast.compose",
      scope: "*",
      target: null,
      outcome: "refused",
    });
    return ctx.reply(ctx.t("broadcast.not_allowed"));
  }
  if (inConversation(ctx)) return ctx.reply(ctx.t("common.busy"));
  await ctx.conversation.enter("broadcast");
});

/** Pause, resume, cancel: national admins any broadcast; a provincial admin only their own. */
broadcastFeature.callbackQuery(/^bc:/, async (ctx) => {
  const control = broadcastControl.parse(ctx.callbackQuery.data);
  if (!control) return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
  const actor = await actorOf(ctx);
  const { deliveries } = ctx.deps.store;
  const broadcast = await deliveries.getBroadcast(control.id);
  const allowed = isNational(actor) || (!!headquartersScopeOf(actor) && broadcast?.createdBy === actor.id);
  if (!allowed) {
    await audit(ctx.deps.store, ctx.deps.logger, {
      actor: actor.id,
      action: `broadcast.${control.action}`,
      scope: "*",
      target: control.id,
      outcome: "refused",
    });
    return ctx.answerCallbackQuery({ text: ctx.t("broadcast.not_allowed"), show_alert: true });
  }
  if (!broadcast || broadcast.status === "done" || broadcast.status === "cancelled")
    return ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") });
  const status = control.action === "pause" ? "paused" : control.action === "resume" ? "running" : "cancelled";
  await deliveries.setBroadcastStatus(control.id, status);
  await audit(ctx.deps.store, ctx.deps.logger, {
    actor: actor.id,
    action: `broadcast.${control.action}`,
    scope: broadcast.segment.provinces?.join(",") ?? "*",
    target: control.id,
    outcome: "ok",
  });
  await ctx.answerCallbackQuery({ text: ctx.t("broadcast.changed") });
  await ctx.deps.broadcasts.tick(control.id);
});

/** A volunteer's «I'm in» under a broadcast: counted once per person. */
broadcastFeature.callbackQuery(/^in:/, async (ctx) => {
  const id = parseImIn(ctx.callbackQuery.data);
  const broadcast = id ? await ctx.deps.store.deliveries.getBroadcast(id) : null;
  if (!broadcast?.imIn || !ctx.person) return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
  const answer = await ctx.deps.store.deliveries.respond(broadcast.id, ctx.person.id);
  const key = {
    recorded: "broadcast.im_in_thanks",
    already: "broadcast.im_in_already",
    not_sent: "common.invalid_button",
  };
  await ctx.answerCallbackQuery({ text: ctx.t(key[answer]) });
});
