import { normalizeDigits } from "./domain/normalize.js";
import type { TFunction } from "./i18n.js";
import type { Language } from "./domain/person.js";
import { isCountyOf, PROVINCES, type Slot } from "./domain/taxonomy.js";
import type { RegistrationDraft } from "./domain/registration.js";

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
const collators = new Map<string, Intl.Collator>();

/**
 * A list as people read it: in the collation of their language (Persian
 * order for Persian labels, not the order of the ids), with the items `first`
 * picks (the pilot provinces, the referring centre's province) ahead.
 */
export function byLabel<T>(
  lang: Language,
  items: readonly T[],
  label: (item: T) => string,
  first: (item: T) => boolean = () => false,
): T[] {
  let collator = collators.get(lang);
  if (!collator) collators.set(lang, (collator = new Intl.Collator(lang)));
  return [...items].sort((a, b) => Number(first(b)) - Number(first(a)) || collator.compare(label(a), label(b)));
}

/** Latin digits as the reader's (Persian for Persian), with no grouping: ids and codes read in a sentence. */
export const digits = (lang: Language, text: string) =>
  lang === "fa" ? text.replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]!) : text;

/**
 * A left-to-right run inside right-to-left text (a masked number, a code, a
 * command with arguments), wrapped in Unicode isolates (LRI … PDI) so that
 * the text around it does not reorder it: the one helper for such runs.
 */
export const ltr = (text: string) => `\u2066${text}\u2069`;

/**
 * Every command in a text (`/start`, `/help`) isolated with {@link ltr}, so a
 * Persian line shows «/start» and not «start/». A slash after a letter, a
 * digit or another slash (a link's path) starts no command and is left, as is
 * a command already isolated. Only for a platform that still finds a command
 * right after an isolate (`commandAfterIsolate` in the capability table).
 */
export const isolateCommands = (text: string) =>
  text.replace(
    /(^|[^\p{L}\p{N}\p{M}_/\u2066])(\/[A-Za-z0-9_]+)(?![\p{L}\p{N}\p{M}_/])/gu,
    (_, before, command) => before + ltr(command),
  );

/**
 * A code or a phone number that people copy or dial (a volunteer code, a
 * centre's phone): kept in Latin digits, which every phone dials and every
 * client links, and isolated; «—» when there is none.
 */
export const copyable = (value: string | null | undefined) => (value ? ltr(value) : "—");

/**
 * A phone number in a message: Latin digits (Persian ones typed or imported are read), isolated
 * («\u206609121234567\u2069»), «—» when there is none; the one form every message and page uses.
 */
export const phoneText = (value: string | null | undefined) => (value ? ltr(normalizeDigits(value)) : "—");

/**
 * A phone as a link a phone dials (`tel:+98…`): an Iranian number's leading 0 becomes +98; stars (a masked number)
 * give none.
 */
export function telHref(value: string): string | undefined {
  const latin = normalizeDigits(value).replace(/[\s-]/g, "");
  if (!/^\+?\d{5,15}$/.test(latin)) return undefined;
  return `tel:${latin.startsWith("0") ? `+98${latin.slice(1)}` : latin}`;
}

export const mask = (value: string) => "*".repeat(Math.max(0, value.length - 4)) + value.slice(-4);

/** A county's name; without its province (a national report), the province that lists it. A typed name stays. */
export function countyLabel(t: TFunction, province: string | undefined, county: string): string {
  const p = province ?? PROVINCES.find((x) => (x.counties as readonly string[]).includes(county))?.id;
  return p && isCountyOf(p, county) ? t(`taxonomy.county.${p}.${county}`) : county;
}

/**
 * A centre as a picker shows it, so that two of one name can be told apart: its name and county, and its province
 * where the reader sees more than one province («مرکز مثبت زندگی الهیه (کرمانشاه)» / «… (کرمانشاه، استان کرمانشاه)»).
 */
export function centreLabel(
  t: TFunction,
  c: { name: string; province: string; county: string },
  withProvince = false,
): string {
  const county = countyLabel(t, c.province, c.county);
  const where = withProvince
    ? `${county}${t("common.list_separator")}${t("field.province")} ${t(`taxonomy.province.${c.province}`)}`
    : county;
  return `${c.name} (${where})`;
}

/** Labels for one list of centres: with their province only when the list spans more than one. */
export function centreLabeller(t: TFunction, centres: readonly { province: string }[]) {
  const withProvince = new Set(centres.map((c) => c.province)).size > 1;
  return (c: { name: string; province: string; county: string }) => centreLabel(t, c, withProvince);
}

export function slotsLabel(t: TFunction, slots: readonly Slot[]): string {
  return slots
    .map((s) => {
      const [day, part] = s.split(".");
      return `${t(`taxonomy.weekday.${day}`)} ${t(`taxonomy.day_part.${part}`)}`;
    })
    .join(t("common.list_separator"));
}

/**
 * The lines of a profile or registration summary. National ID and phone are
 * masked unless `reveal` (the person's own summary before confirming).
 */
export function profileLines(t: TFunction, lang: Language, d: RegistrationDraft, reveal: boolean): string[] {
  const none = "—";
  const list = (items: readonly string[] | undefined, key: string) =>
    items && items.length > 0 ? items.map((i) => t(`${key}.${i}`)).join(t("common.list_separator")) : none;
  // A left-to-right run (stars then digits) inside Persian text: isolated, so «*******۰۰۰۱» does not flip.
  const show = (v: string | undefined) => (v ? ltr(digits(lang, reveal ? v : mask(v))) : none);
  return [
    `${t("field.name")}: ${[d.title, d.firstName, d.lastName].filter(Boolean).join(" ")}`.trimEnd(),
    // A phone as every message shows one: Latin digits, which a phone dials and a client links (masked or not).
    `${t("field.phone")}: ${d.phone ? phoneText(reveal ? d.phone : mask(d.phone)) : none}`,
    `${t("field.national_id")}: ${show(d.nationalId)}`,
    `${t("field.birth_year")}: ${d.birthYear ? num(lang, d.birthYear) : none}`,
    `${t("field.gender")}: ${d.gender ? t(`registration.gender_${d.gender}`) : none}`,
    `${t("field.province")}: ${d.province ? t(`taxonomy.province.${d.province}`) : none}`,
    `${t("field.county")}: ${d.county ? countyLabel(t, d.province, d.county) : none}`,
    `${t("field.neighbourhood")}: ${d.neighbourhood ?? none}${d.location ? " 📍" : ""}`,
    `${t("field.skills")}: ${list(d.skills, "taxonomy.skill")}`,
    `${t("field.roles")}: ${list(d.roles, "taxonomy.role")}`,
    `${t("field.availability")}: ${
      d.availability
        ? `${slotsLabel(t, d.availability.slots)} — ${t("registration.hours", { n: num(lang, d.availability.hoursPerWeek) })}`
        : none
    }`,
  ];
}
