import type { Centre, Need, Offer, Person } from "../../store/port/index.js";
import { screeningGaps } from "./gate.js";
import { audit, centresOf, type Actor } from "../access.js";
import type { MatchingDeps } from "./deps.js";

/**
 * The needs of the centres an actor manages (the chat's `/needs` and the
 * console): `undefined` for someone who manages none.
 */
export async function needBoard(
  d: MatchingDeps,
  actor: Actor,
  limit = 100,
): Promise<{ centres: Centre[]; needs: Need[] } | undefined> {
  const centres = await centresOf(d.store, actor);
  if (centres.length === 0) return undefined;
  const needs = (await d.store.needs.list({ centreCodes: centres.map((c) => c.code) })).slice(0, limit);
  return { centres, needs };
}

/**
 * One need of the actor's centres with its offers (the first `offerLimit`) and their volunteers; a need of another
 * centre is refused and audited.
 */
export async function needWithOffers(
  d: MatchingDeps,
  actor: Actor,
  needId: string,
  offerLimit = Infinity,
): Promise<
  | {
      need: Need;
      centre: Centre;
      /** Each offer, its person, and what they lack today for a gated role (empty: qualified; null: an open role). */
      offers: { offer: Offer; person: Person | null; gaps: string[] | null }[];
    }
  | undefined
> {
  const need = needId.length < 100 ? await d.store.needs.get(needId) : null;
  const centre = need && (await d.store.centres.getCentre(need.centreCode));
  const mine = centre && (await centresOf(d.store, actor)).some((c) => c.code === centre.code);
  if (!need || !centre || !mine) {
    await audit(d.store, d.logger, {
      actor: actor.id,
      action: "need.view",
      scope: centre?.code ?? "*",
      target: needId.slice(0, 100),
      outcome: "refused",
    });
    return undefined;
  }
  const offers = (await d.store.needs.offers(need.id)).slice(0, offerLimit);
  return {
    need,
    centre,
    offers: await Promise.all(
      offers.map(async (offer) => {
        const person = await d.store.people.get(offer.personId);
        return { offer, person, gaps: await screeningGaps(d, need.role, person) };
      }),
    ),
  };
}
