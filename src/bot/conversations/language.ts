import { InlineKeyboard } from "grammy";
import type { I18n, TFunction } from "../../i18n.js";
import { LANGUAGES } from "../../domain/person.js";
import { languageData } from "../../domain/callback-data.js";
import type { ConversationContext, HamdelConversation } from "../context.js";
import { saveLanguage } from "../features/language.js";
import { afterWrongAnswer, endPolitely, keepUpdate } from "./kit/index.js";

/**
 * `/language`: offers the languages and waits for a choice. Text or stickers
 * get a re-prompt (and, a few in a row, the buttons again; a few more end
 * it); other commands pass through (`skip`) without ending it.
 */
export async function languageConversation(conversation: HamdelConversation, ctx: ConversationContext) {
  const prompt = () =>
    ctx.reply(ctx.t("language.prompt"), { reply_markup: createLanguageKeyboard(ctx.deps.i18n, ctx.t) });
  await prompt();
  let wrong = 0;
  /** A few answers in a row that are not a choice: the buttons again; a few more: the conversation ends. */
  const wrongAnswer = async (u: ConversationContext) => {
    const next = afterWrongAnswer(++wrong);
    if (next === "end") await endPolitely(conversation, u);
    if (next === "reprompt") await prompt();
  };
  for (;;) {
    const next = await conversation.wait();
    if (next.message?.text?.startsWith("/")) await conversation.skip({ next: true });
    // Buttons of other features (/delete's confirmation, a campaign's opt-out…) are not ours to answer.
    if (next.callbackQuery && !next.callbackQuery.data?.startsWith(languageData.prefix))
      await conversation.skip({ next: true });
    await keepUpdate(conversation, next);
    if (next.callbackQuery) {
      const choice = languageData.parse(next.callbackQuery.data);
      if (choice === undefined) {
        await next.answerCallbackQuery({ text: next.t("language.stale_button") });
        await wrongAnswer(next);
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
    await next.reply(next.t("language.choose_with_buttons"));
    await wrongAnswer(next);
  }
}

/** One button per language, each labelled in its own language, plus cancel. */
export function createLanguageKeyboard(i18n: I18n, t: TFunction): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const lng of LANGUAGES) kb.text(i18n.t(lng)("language_name"), languageData.pack(lng));
  return kb.row().text(t("common.cancel"), languageData.pack("cancel"));
}
