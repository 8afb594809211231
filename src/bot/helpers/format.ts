import type { TFunction } from "../../i18n.js";
import type { Language } from "../../store/port.js";
import type { RegistrationDraft } from "../../domain/registration.js";

export { countyLabel, mask, num, slotsLabel } from "../../format.js";
import { countyLabel, mask, num, slotsLabel } from "../../format.js";

/**
 * The lines of a profile or registration summary. National ID and phone are
 * masked unless `reveal` (the person's own summary before confirming).
 */
export function profileLines(t: TFunction, lang: Language, d: RegistrationDraft, reveal: boolean): string[] {
  const none = "—";
  const list = (items: readonly string[] | undefined, key: string) =>
    items && items.length > 0 ? items.map((i) => t(`${key}.${i}`)).join(t("common.list_separator")) : none;
  const show = (v: string | undefined) => (v ? (reveal ? v : mask(v)) : none);
  return [
    `${t("field.name")}: ${d.firstName ?? ""} ${d.lastName ?? ""}`.trimEnd(),
    `${t("field.phone")}: ${show(d.phone)}`,
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
