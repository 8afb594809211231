import { Composer } from "grammy";
import { broadcastControl, parseImIn } from "../../domain/callback-data.js";
import type { BotContext } from "../context.js";
import { inConversation } from "../helpers/conversation.js";
import { audit, headquartersScopeOf } from "../../services/access.js";
import { senderActor } from "../helpers/roles.js";
import { controlBroadcast } from "../../services/broadcast-admin.js";
import { answerImIn } from "../../services/broadcast.js";

/** `/broadcast` and the pause / resume / cancel buttons of its progress message; national admins only. */
export const broadcastFeature = new Composer<BotContext>();

broadcastFeature.chatType("private").command("broadcast", async (ctx) => {
  const actor = await senderActor(ctx);
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
  const r = await controlBroadcast(ctx.deps, await senderActor(ctx), control.id, control.action);
  if (!r.ok && r.error === "not_allowed")
    return ctx.answerCallbackQuery({ text: ctx.t("broadcast.not_allowed"), show_alert: true });
  if (!r.ok) return ctx.answerCallbackQuery({ text: ctx.t("common.stale_button") });
  await ctx.answerCallbackQuery({ text: ctx.t("broadcast.changed") });
  await ctx.deps.broadcasts.tick(control.id);
});

/** A volunteer's «I'm in» under a broadcast: counted once per person. */
broadcastFeature.callbackQuery(/^in:/, async (ctx) => {
  const id = parseImIn(ctx.callbackQuery.data);
  const answer = id ? await answerImIn(ctx.deps.store, ctx.person ?? null, id) : "invalid";
  const key = {
    recorded: "broadcast.im_in_thanks",
    already: "broadcast.im_in_already",
    not_sent: "common.invalid_button",
    invalid: "common.invalid_button",
  };
  await ctx.answerCallbackQuery({ text: ctx.t(key[answer]) });
});
