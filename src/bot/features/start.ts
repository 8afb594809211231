import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { scopeLabel } from "../../services/labels.js";
import { arrive, rememberCoordinatorName } from "../../services/people.js";
import { senderIdentity } from "../helpers/identity.js";
import { sendMenu } from "../helpers/menu.js";
import { senderActor } from "../helpers/roles.js";
import { inConversation } from "../helpers/conversation.js";

/** The button under a coordinator's greeting: registering as a volunteer is their choice. */
export const REGISTER_AS_VOLUNTEER = "st:reg";

export const startFeature = new Composer<BotContext>();

startFeature.chatType("private").command("start", async (ctx) => {
  const identity = senderIdentity(ctx);
  if (!identity) return;
  const { person, created, source, badPayload } = await arrive(ctx.deps.store, identity, ctx.match.trim());
  ctx.person = person;

  const name = ctx.from.first_name?.trim() || ctx.t("start.friend");
  const lines = [ctx.t(created ? "start.welcome" : "start.welcome_back", { name })];
  if (source && person.source === source && created) lines.push(ctx.t("start.source_noted", { source }));
  if (badPayload) lines.push(ctx.t("start.bad_payload"));
  ctx.log.info({ person: person.id, created, source: person.source }, "start");
  if (person.registeredAt) {
    await ctx.reply(lines.join("\n\n"));
    await sendMenu(ctx, person);
    return;
  }
  // A coordinator is greeted as one (their roles and where), not dropped into a volunteer's registration: that is
  // theirs to choose, so the funnel's drop-offs are citizens'.
  const actor = await senderActor(ctx);
  if (actor.grants.length > 0) {
    await rememberCoordinatorName(ctx.deps.store, person, ctx.from);
    const roles = await Promise.all(
      actor.grants.map(
        async (g) => `• ${ctx.t(`roles.name.${g.role}`)} — ${await scopeLabel(ctx.t, ctx.deps.store, g.role, g.scope)}`,
      ),
    );
    lines.push(ctx.t("start.coordinator", { roles: roles.join("\n") }));
    await ctx.reply(lines.join("\n\n"), {
      reply_markup: new InlineKeyboard().text(ctx.t("start.register_as_volunteer"), REGISTER_AS_VOLUNTEER),
    });
    return;
  }
  await ctx.reply(lines.join("\n\n"));
  await ctx.conversation.enter("registration");
});

startFeature.callbackQuery(REGISTER_AS_VOLUNTEER, async (ctx) => {
  if (inConversation(ctx)) return ctx.answerCallbackQuery({ text: ctx.t("common.busy"), show_alert: true });
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  if (ctx.person?.registeredAt) return sendMenu(ctx, ctx.person);
  await ctx.conversation.enter("registration");
});
