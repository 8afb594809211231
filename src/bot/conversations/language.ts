import { languageData } from "../callback-data.js";
import type { ConversationContext, HamdelConversation } from "../context.js";
import { saveLanguage } from "../features/language.js";
import { createLanguageKeyboard } from "../keyboards/language.js";

/**
 * `/language`: offers the languages and waits for a choice. Text or stickers
 * get a re-prompt; other commands pass through (`skip`) without ending it.
 */
export async function languageConversation(conversation: HamdelConversation, ctx: ConversationContext) {
  await ctx.reply(ctx.t("language.prompt"), { reply_markup: createLanguageKeyboard(ctx.deps.i18n, ctx.t) });
  for (;;) {
    const next = await conversation.wait();
    if (next.callbackQuery) {
      const choice = languageData.parse(next.callbackQuery.data);
      if (choice === undefined) {
        await next.answerCallbackQuery({ text: next.t("language.stale_button") });
        continue;
      }
      if (choice === "cancel") {
        await next.answerCallbackQuery();
        await next.editMessageText(next.t("language.unchanged")).catch(() => next.reply(next.t("language.unchanged")));
        return;
      }
      await conversation.external(() => saveLanguage(next, choice));
      const t = next.deps.i18n.t(choice);
      await next.answerCallbackQuery();
      await next.editMessageText(t("language.changed")).catch(() => next.reply(t("language.changed")));
      return;
    }
    if (next.message?.text?.startsWith("/")) await conversation.skip({ next: true });
    await next.reply(next.t("language.choose_with_buttons"));
  }
}
