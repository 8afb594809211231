import type { Language } from "../../domain/person.js";
import type { Offer } from "../../store/port/index.js";
import { institutionsOf, type Actor } from "../access.js";
import type { MatchingDeps } from "./deps.js";
import { approvalNotice } from "./notices.js";

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
