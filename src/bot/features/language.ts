import { Composer } from "grammy";
import { setLanguage } from "../../services/people.js";
import type { Language } from "../../store/port/index.js";
import { languageData } from "../../domain/callback-data.js";
import type { BotContext, ConversationContext } from "../context.js";
import { senderIdentity } from "../helpers/identity.js";
import { inConversation } from "../helpers/conversation.js";

export const languageFeature = new Composer<BotContext>();

/** Stores the choice on the person (creating the record if needed). */
export async function saveLanguage(ctx: BotContext | ConversationContext, language: Language): Promise<void> {
  const identity = senderIdentity(ctx);
  if (!identity) return;
  await setLanguage(ctx.deps.store, identity, language);
}

languageFeature
  .chatType("private")
  .command("language", (ctx) =>
    inConversation(ctx) ? ctx.reply(ctx.t("common.busy")) : ctx.conversation.enter("language"),
  );

/**
 * A language button pressed outside the conversation (an old message, or
 * after a restart of an in-memory deployment): still a valid choice.
 */
languageFeature.callbackQuery(/^lang:/, async (ctx) => {
  const choice = languageData.parse(ctx.callbackQuery.data);
  if (!choice || choice === "cancel") {
    await ctx.answerCallbackQuery({ text: ctx.t("language.stale_button") });
    return;
  }
  await saveLanguage(ctx, choice);
  const t = ctx.deps.i18n.t(choice);
  await ctx.answerCallbackQuery();
  await ctx.reply(t("language.changed"));
});
