import { isoDateIn } from "../../domain/jalali.js";
import type { Centre, Need, Person, Store } from "../../store/port/index.js";
import { reviewData } from "../../domain/callback-data.js";
import { audit, authorize, canActForCentre, type Actor } from "../access.js";
import { pushTo } from "../broadcast.js";
import { langOf, nowOf, pushToHolders, type MatchingDeps, type Refusal } from "./deps.js";
import { fail, ok, type Result } from "../../domain/result.js";
import { runWave, validNeed, type NeedInput } from "./needs.js";
import { needLines } from "./notices.js";

/** The time bank's requests: a citizen asks, a centre reviews, then it is matched like a need. */

/** The centre that reviews a citizen's request: a «positive life» centre in their county, else their province. */
export async function reviewingCentre(store: Store, person: Person): Promise<Centre | null> {
  if (!person.province) return null;
  const inCounty = person.county
    ? await store.centres.listCentres({ province: person.province, county: person.county })
    : [];
  const inProvince = await store.centres.listCentres({ province: person.province });
  const preferred = (cs: Centre[]) => cs.find((c) => c.kind === "positive_life") ?? cs[0];
  return preferred(inCounty) ?? preferred(inProvince) ?? null;
}

export type RequestInput = Omit<NeedInput, "centreCode" | "role" | "reach">;

/** A registered citizen asks for help (the time bank); a centre coordinator reviews it first. */
export async function submitRequest(
  d: MatchingDeps,
  person: Person,
  actorId: string,
  input: RequestInput,
): Promise<Result<Need, Refusal>> {
  if (!person.registeredAt) return fail("forbidden");
  const centre = await reviewingCentre(d.store, person);
  if (!centre) return fail("not_found");
  const full: NeedInput = { ...input, centreCode: centre.code, role: null, reach: "county" };
  if (!validNeed(full, isoDateIn(nowOf(d), d.timeZone))) return fail("invalid");
  const need = await d.store.needs.create({
    ...full,
    kind: "request",
    requesterId: person.id,
    createdBy: actorId,
    status: "review",
  });
  await pushToHolders(d, "centre_coordinator", centre.code, (t, lang) => ({
    text: t("request.review_notice", {
      neighbourhood: person.neighbourhood ?? "—",
      need: needLines(t, lang, need, centre, d.timeZone),
    }),
    about: [person.id],
    buttons: [
      [
        { text: t("request.approve"), data: reviewData(true, need.id) },
        { text: t("request.reject"), data: reviewData(false, need.id) },
      ],
    ],
  }));
  return ok(need);
}

/** A centre coordinator approves a request (it is matched like a need) or rejects it. */
export async function reviewRequest(
  d: MatchingDeps,
  actor: Actor,
  needId: string,
  approve: boolean,
): Promise<Result<Need, Refusal>> {
  const need = await d.store.needs.get(needId);
  const centre = need && (await d.store.centres.getCentre(need.centreCode));
  if (!need || !centre || need.kind !== "request") return fail("not_found");
  const action = approve ? "request.approve" : "request.reject";
  const attempt = { actor: actor.id, action, scope: centre.code, target: needId };
  if (!(await authorize(d.store, d.logger, canActForCentre(actor, centre), attempt))) return fail("forbidden");
  const moved = await d.store.needs.transition(
    needId,
    ["review"],
    approve ? "open" : "rejected",
    actor.id,
    approve ? undefined : "not_suitable",
  );
  await audit(d.store, d.logger, {
    actor: actor.id,
    action,
    scope: centre.code,
    target: needId,
    outcome: moved ? "ok" : "refused",
  });
  if (!moved) return fail("state");
  const requester = need.requesterId ? await d.store.people.get(need.requesterId) : null;
  if (requester) {
    const t = d.i18n.t(langOf(requester));
    await pushTo(d.store, requester.id, t(approve ? "request.approved" : "request.rejected"));
  }
  if (approve) await runWave(d, needId);
  return ok((await d.store.needs.get(needId))!);
}
