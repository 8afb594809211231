import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import i18next, { type TFunction } from "i18next";
import type { Language } from "./store/port.js";

export type { TFunction };

export const LANGUAGES = ["fa", "en"] as const satisfies readonly Language[];
export const DEFAULT_LANGUAGE: Language = "fa";

export const isLanguage = (v: unknown): v is Language => LANGUAGES.includes(v as Language);

const localesDir = fileURLToPath(new URL("../locales/", import.meta.url));

export interface I18n {
  /** A translator fixed to one language. */
  t(language: Language): TFunction;
}

/** Loads `locales/*.json` into an i18next instance; Persian is the fallback. */
export async function createI18n(): Promise<I18n> {
  const instance = i18next.createInstance();
  const resources = Object.fromEntries(
    LANGUAGES.map((lng) => [lng, { translation: JSON.parse(readFileSync(`${localesDir}${lng}.json`, "utf8")) }]),
  );
  await instance.init({
    resources,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map(LANGUAGES.map((lng) => [lng, instance.getFixedT(lng)]));
  return { t: (language) => fixed.get(language) ?? fixed.get(DEFAULT_LANGUAGE)! };
}
