import { isLanguage } from "../i18n.js";
import type { Language } from "../store/port.js";

/**
 * Callback data formats. Everything that arrives in `callback_query.data` is
 * untrusted: each format parses strictly and returns `undefined` on anything
 * else, so forged or stale data never reaches a handler as a valid choice.
 */
export const languageData = {
  prefix: "lang:",
  pack: (choice: Language | "cancel") => `lang:${choice}`,
  parse(data: string | undefined): Language | "cancel" | undefined {
    if (!data?.startsWith("lang:")) return undefined;
    const v = data.slice(5);
    return v === "cancel" || isLanguage(v) ? v : undefined;
  },
};
