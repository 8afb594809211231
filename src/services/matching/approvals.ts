import type { Language } from "../../domain/person.js";
import type { Offer } from "../../store/port/index.js";
import { institutionsOf, type Actor } from "../access.js";
import { digits } from "../../format.js";
import { nowOf, pushToHolders, type MatchingDeps } from "./deps.js";
import { approvalNotice, needLines } from "./notices.js";

/** An introduction awaiting a decision, with its notice (text and buttons, as the chat shows it). */
export type Approval = { offer: Offer } & ReturnType<typeof approvalNotice>;

/**
 * An institution operator's introductions awaiting a decision, each with the
 * text the chat's `/approvals` shows; `undefined` for someone who operates
 * no institution.
 */
export async function approvalQueue(
  d: MatchingDeps,
  actor: Actor,
  lang: Language,
  limit = 100,
): Promise<Approval[] | undefined> {
  const codes = institutionsOf(actor);
  if (codes.length === 0) return undefined;
  const waiting = (await d.store.needs.awaitingDecision(codes)).slice(0, limit);
  const t = d.i18n.t(lang);
  const items = await Promise.all(
    waiting.map(async (offer) => {
      const [person, need] = await Promise.all([d.store.people.get(offer.personId), d.store.needs.get(offer.needId)]);
      const centre = need && (await d.store.centres.getCentre(need.centreCode));
      if (!person || !need || !centre) return undefined;
      const institution = await d.store.centres.getInstitution(offer.institutionCode!);
      const notice = approvalNotice(t, lang, d.timeZone, {
        offer,
        person,
        need,
        centre,
        institution: institution?.name ?? null,
      });
      return { offer, ...notice };
    }),
  );
  return items.filter((i): i is Approval => i !== undefined);
}

/** What a tick of chasing did: introductions reminded to their institution, and raised to the province. */
export interface Chased {
  reminded: number;
  raised: number;
}

/**
 * Every hand-off reaches someone: an introduction awaiting its institution
 * longer than `remindHours` is sent again to the institution's operators
 * (once, with its buttons); longer than `raiseHours`, the province's admins
 * are told that nobody has decided (once), so that someone calls. Each
 * reminder is claimed in the store, so that two workers send it once.
 */
export async function chaseApprovals(d: MatchingDeps): Promise<Chased> {
  const chased: Chased = { reminded: 0, raised: 0 };
  const rules = d.approvalHandoff;
  if (!rules) return chased;
  const now = nowOf(d);
  const institutions = await d.store.centres.listInstitutions();
  if (institutions.length === 0) return chased;
  const names = new Map(institutions.map((i) => [i.code, i.name]));
  const keep = new Date(now.getTime() + 30 * 86_400_000);
  for (const offer of await d.store.needs.awaitingDecision(institutions.map((i) => i.code))) {
    const waited = now.getTime() - (offer.answeredAt ?? offer.createdAt).getTime();
    const due = (hours: number) => waited >= hours * 3_600_000;
    if (!due(rules.remindHours) || !offer.institutionCode) continue;
    // Which message is due, claimed first (cheap, and what every later tick meets): the raise, else the reminder.
    const claim = (kind: string) => d.store.access.claimOnce(`approval.${kind}:${offer.id}`, keep, now);
    const kind = due(rules.raiseHours) && (await claim("raise")) ? "raise" : (await claim("remind")) ? "remind" : null;
    if (!kind) continue;
    const [person, need] = await Promise.all([d.store.people.get(offer.personId), d.store.needs.get(offer.needId)]);
    const centre = need && (await d.store.centres.getCentre(need.centreCode));
    if (!person || !need || !centre) continue;
    const institution = names.get(offer.institutionCode) ?? offer.institutionCode;
    const hours = (lang: Language) => digits(lang, String(Math.floor(waited / 3_600_000)));
    if (kind === "raise") {
      await pushToHolders(d, "provincial_admin", centre.province, (t, lang) => ({
        text: t("match.approval_raised", {
          institution,
          hours: hours(lang),
          need: needLines(t, lang, need, centre, d.timeZone),
        }),
      }));
      chased.raised++;
    } else {
      await pushToHolders(d, "institution_operator", offer.institutionCode, (t, lang) => {
        const notice = approvalNotice(t, lang, d.timeZone, { offer, person, need, centre, institution });
        return {
          text: `${t("match.approval_reminder", { hours: hours(lang) })}\n\n${notice.text}`,
          buttons: notice.buttons,
          about: [person.id],
        };
      });
      chased.reminded++;
    }
  }
  return chased;
}
