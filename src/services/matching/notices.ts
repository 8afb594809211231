import { formatIsoDate, isoDateIn } from "../../domain/jalali.js";
import type { ScoreReason } from "../../domain/matching.js";
import { copyable, countyLabel, num, slotsLabel } from "../../format.js";
import type { TFunction } from "../../i18n.js";
import type { Centre, Language, Need, Offer, Person } from "../../store/port/index.js";
import { decisionData, offerData } from "../../domain/callback-data.js";

/**
 * What matching tells people: pure functions of a translator, a language
 * and the records (no store, no sending), so each text is tested alone.
 */

export const fullName = (p: Person) => [p.title, p.firstName, p.lastName].filter(Boolean).join(" ");

/** What a need asks for, in a line (a coordinator's list): its role, or a request's skills. */
export const needWhat = (t: TFunction, n: Pick<Need, "role" | "skills">): string =>
  n.role
    ? t(`taxonomy.role.${n.role}`)
    : n.skills.map((s) => t(`taxonomy.skill.${s}`)).join(t("common.list_separator"));

function whatLabel(t: TFunction, need: Pick<Need, "role" | "skills">): string {
  const parts = [
    ...(need.role ? [t(`taxonomy.role.${need.role}`)] : []),
    ...need.skills.map((s) => t(`taxonomy.skill.${s}`)),
  ];
  return parts.join(t("common.list_separator"));
}

/** The positive reasons, as a volunteer reads them; coordinators see every reason with points. */
export function reasonsText(t: TFunction, lang: Language, reasons: ScoreReason[], withPoints: boolean): string {
  return reasons
    .filter((r) => withPoints || r.points > 0)
    .map((r) => {
      const params = Object.fromEntries(Object.entries(r.params ?? {}).map(([k, v]) => [k, num(lang, v)]));
      const text = t(`match.reason.${r.key}`, params);
      return withPoints ? `${text} (${r.points > 0 ? "+" : ""}${num(lang, r.points)})` : text;
    })
    .join(t("common.list_separator"));
}

/** A need as people read it: place, who, when, notes. */
export function needLines(
  t: TFunction,
  lang: Language,
  need: Pick<Need, "role" | "skills" | "slots" | "startDate" | "endDate" | "notes">,
  centre: Centre,
  timeZone: string,
): string {
  const lines = t("match.need_lines", {
    what: whatLabel(t, need),
    slots: slotsLabel(t, need.slots),
    start: formatIsoDate(need.startDate, lang, timeZone),
    end: formatIsoDate(need.endDate, lang, timeZone),
    place: `${centre.name} — ${countyLabel(t, centre.province, centre.county)}`,
  });
  // No notes, no line (not a bare «📝 —»).
  return need.notes ? `${lines}\n${t("match.need_notes", { notes: need.notes })}` : lines;
}

/** The notice a volunteer gets for an offer: the need, why them, until when, and the three answers. */
export function offerNotice(
  t: TFunction,
  lang: Language,
  timeZone: string,
  offer: Offer,
  need: Need,
  centre: Centre,
): { text: string; buttons: { text: string; data: string }[][] } {
  return {
    text: t("match.notice", {
      need: needLines(t, lang, need, centre, timeZone),
      why: reasonsText(t, lang, offer.reasons, false),
      expires: formatIsoDate(isoDateIn(offer.expiresAt, timeZone), lang, timeZone),
    }),
    buttons: [
      [
        { text: t("match.accept"), data: offerData("accept", offer.id) },
        { text: t("match.decline"), data: offerData("decline", offer.id) },
      ],
      [{ text: t("match.later"), data: offerData("later", offer.id) }],
    ],
  };
}

/** What an institution operator reads to decide an introduction: in the push, and again in `/approvals`. */
export function approvalNotice(
  t: TFunction,
  lang: Language,
  timeZone: string,
  o: { offer: Offer; person: Person; need: Need; centre: Centre; institution: string | null },
): { text: string; buttons: { text: string; data: string }[][] } {
  const { offer, person } = o;
  return {
    text: t("match.approval_request", {
      institution: o.institution ?? offer.institutionCode,
      name: fullName(person),
      code: copyable(person.volunteerCode),
      county: person.province && person.county ? countyLabel(t, person.province, person.county) : "—",
      need: needLines(t, lang, o.need, o.centre, timeZone),
    }),
    buttons: [
      [
        { text: t("match.approve"), data: decisionData(true, offer.id) },
        { text: t("match.reject"), data: decisionData(false, offer.id) },
      ],
    ],
  };
}
