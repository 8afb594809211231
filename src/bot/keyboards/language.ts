import { InlineKeyboard } from "grammy";
import type { I18n, TFunction } from "../../i18n.js";
import { LANGUAGES } from "../../i18n.js";
import { languageData } from "../callback-data.js";

/** One button per language, each labelled in its own language, plus cancel. */
export function createLanguageKeyboard(i18n: I18n, t: TFunction): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const lng of LANGUAGES) kb.text(i18n.t(lng)("language_name"), languageData.pack(lng));
  return kb.row().text(t("common.cancel"), languageData.pack("cancel"));
}
