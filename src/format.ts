import type { TFunction } from "./i18n.js";
import type { Language } from "./store/port.js";
import { countiesOf, type Slot } from "./domain/taxonomy.js";

/** Formatting shared by the bot's replies and the services' pushed notices. */

const numberFormats = new Map<Language, Intl.NumberFormat>();

/** A number in the reader's digits (Persian digits for `fa`). */
export function num(lang: Language, n: number): string {
  let f = numberFormats.get(lang);
  if (!f)
    numberFormats.set(lang, (f = new Intl.NumberFormat(lang === "fa" ? "fa-IR" : "en-US", { useGrouping: false })));
  return f.format(n);
}

/** Shows only the last four characters, e.g. `*******4567`. */
export const mask = (value: string) => "*".repeat(Math.max(0, value.length - 4)) + value.slice(-4);

export function countyLabel(t: TFunction, province: string | undefined, county: string): string {
  return province && countiesOf(province).includes(county) ? t(`taxonomy.county.${province}.${county}`) : county;
}

export function slotsLabel(t: TFunction, slots: readonly Slot[]): string {
  return slots
    .map((s) => {
      const [day, part] = s.split(".");
      return `${t(`taxonomy.weekday.${day}`)} ${t(`taxonomy.day_part.${part}`)}`;
    })
    .join(t("common.list_separator"));
}
