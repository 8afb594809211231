import { Composer, InlineKeyboard } from "grammy";
import { optOutOfCampaigns, setAllNotices } from "../../services/people.js";
import { OPT_OUT_DATA } from "../../domain/callback-data.js";
import { deleteData, noticesData, profileData } from "../../domain/callback-data.js";
import { erasePerson } from "../../services/erasure.js";
import type { BotContext } from "../context.js";
import { isEditableStep } from "../conversations/registration/profile-edit.js";
import { profileView } from "../helpers/profile-view.js";
import { inConversation } from "../helpers/conversation.js";

/** /profile, its edit buttons, /delete, /stop and /resume. Registration itself starts from /start. */
export const profileFeature = new Composer<BotContext>();
const privateChats = profileFeature.chatType("private");

privateChats.command("profile", async (ctx) => {
  const person = ctx.person;
  if (!person?.registeredAt) return ctx.reply(ctx.t("profile.not_registered"));
  const view = profileView(ctx, person);
  await ctx.reply(ctx.t("profile.view", { body: view.body }), { reply_markup: view.keyboard });
});

/** The profile's notices switch: every notice off, or on again, and the profile redrawn as it is now. */
profileFeature.callbackQuery(/^pf:n:/, async (ctx) => {
  const on = noticesData.parse(ctx.callbackQuery.data);
  if (on === undefined) return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
  if (!ctx.person?.registeredAt)
    return ctx.answerCallbackQuery({ text: ctx.t("profile.not_registered"), show_alert: true });
  await setAllNotices(ctx.deps.store, ctx.person, on);
  await ctx.answerCallbackQuery({ text: ctx.t(on ? "notify.resumed" : "notify.stopped") });
  const view = profileView(ctx, { ...ctx.person, notify: { campaigns: on, matches: on } });
  await ctx
    .editMessageText(ctx.t("profile.view", { body: view.body }), { reply_markup: view.keyboard })
    .catch(() => undefined);
});

profileFeature.callbackQuery(/^pf:/, async (ctx) => {
  const field = profileData.parse(ctx.callbackQuery.data);
  if (!isEditableStep(field)) return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
  if (!ctx.person?.registeredAt)
    return ctx.answerCallbackQuery({ text: ctx.t("profile.not_registered"), show_alert: true });
  if (inConversation(ctx)) return ctx.answerCallbackQuery({ text: ctx.t("common.busy"), show_alert: true });
  await ctx.answerCallbackQuery();
  await ctx.conversation.enter("profile-edit", field);
});

privateChats.command("delete", async (ctx) => {
  if (!ctx.person || ctx.person.erasedAt) return ctx.reply(ctx.t("delete.nothing"));
  await ctx.reply(ctx.t("delete.confirm"), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t("delete.yes"), deleteData.pack("yes"))
      .text(ctx.t("delete.no"), deleteData.pack("no")),
  });
});

profileFeature.callbackQuery(/^del:/, async (ctx) => {
  const choice = deleteData.parse(ctx.callbackQuery.data);
  if (!choice) return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  if (choice === "no" || !ctx.person) return ctx.reply(ctx.t(ctx.person ? "delete.kept" : "delete.nothing"));
  await ctx.conversation.exitAll();
  await erasePerson(ctx.deps, ctx.person.id);
  await ctx.reply(ctx.t("delete.done"), { reply_markup: { remove_keyboard: true } });
});

for (const [command, on] of [
  ["stop", false],
  ["resume", true],
] as const) {
  privateChats.command(command, async (ctx) => {
    if (!ctx.person?.registeredAt) return ctx.reply(ctx.t("profile.not_registered"));
    await setAllNotices(ctx.deps.store, ctx.person, on);
    await ctx.reply(ctx.t(on ? "notify.resumed" : "notify.stopped"));
  });
}

/** The button under campaign messages: campaign reminders off at once (match notices stay). */
profileFeature.callbackQuery(OPT_OUT_DATA, async (ctx) => {
  if (ctx.person) await optOutOfCampaigns(ctx.deps.store, ctx.person);
  await ctx.answerCallbackQuery({ text: ctx.t("notify.opted_out"), show_alert: true });
});
