import type { OfferAnswer, RejectReason } from "../../domain/needs.js";
import type { TFunction } from "../../i18n.js";
import { copyable, digits, phoneText } from "../../format.js";
import type { Centre, Need, Offer, Person, Store } from "../../store/port/index.js";
import { hoursData } from "../../domain/callback-data.js";
import { audit, authorize, canActForInstitution, type Actor } from "../access.js";
import { pushTo } from "../broadcast.js";
import { langOf, nowOf, pushToHolders, type MatchingDeps, type Refusal } from "./deps.js";
import { fail, ok, type Result } from "../../domain/result.js";
import { runWave } from "./needs.js";
import { scheduleSessions, tellSchedule } from "../service-day/sessions.js";
import { approvalNotice, fullName, needLines } from "./notices.js";

/**
 * A volunteer answers an offer; an acceptance asks their intermediary
 * institution, and only its approval introduces the two sides (contact
 * details only then).
 */

/**
 * The volunteer's intermediary institution, which approves the introduction:
 * the one behind the centre they registered through, only if that centre is
 * in their own province; else their province's first; else the need's
 * province's (its centre's own, or the province's first). A registration
 * source is only a code someone opened: a centre of another province never
 * moves the approval there.
 */
export async function institutionFor(store: Store, person: Person, centre: Centre): Promise<string | null> {
  const home = await homeInstitution(store, person);
  if (home) return home;
  const own = centre.institutionCode ? await store.centres.getInstitution(centre.institutionCode) : null;
  if (own && own.province === centre.province) return own.code;
  const [first] = await store.centres.listInstitutions({ province: centre.province });
  return first?.code ?? null;
}

/**
 * The institution that vouches for a person wherever they serve (and reviews
 * their safeguarding checks): the one behind the centre they registered
 * through, in their own province; else their province's first; null when
 * their province has none.
 */
export async function homeInstitution(store: Store, person: Person): Promise<string | null> {
  const home = person.source ? await store.centres.getCentre(person.source) : null;
  if (home?.institutionCode && person.province && home.province === person.province) return home.institutionCode;
  if (!person.province) return null;
  const [first] = await store.centres.listInstitutions({ province: person.province });
  return first?.code ?? null;
}

/** What became of a volunteer's answer; refused: the notice is closed, the need full, or not theirs. */
export type OfferAnswered = "accepted" | "declined" | "deferred";

/** A volunteer answers a notice. An acceptance asks the institution to approve the introduction. */
export async function answerOffer(
  d: MatchingDeps,
  person: Person,
  offerId: string,
  answer: OfferAnswer,
): Promise<Result<OfferAnswered, "closed" | "full" | "not_found">> {
  const offer = await d.store.needs.getOffer(offerId);
  if (!offer || offer.personId !== person.id) return fail("not_found");
  const need = await d.store.needs.get(offer.needId);
  const centre = need && (await d.store.centres.getCentre(need.centreCode));
  if (!need || !centre) return fail("not_found");
  const institution = answer === "accept" ? await institutionFor(d.store, person, centre) : null;
  const outcome = await d.store.needs.answer(offerId, person.id, answer, nowOf(d), institution);
  if (outcome.type === "closed" || outcome.type === "full") return fail(outcome.type);
  if (answer === "accept") {
    await askInstitution(d, outcome.offer, outcome.need, centre, person);
    await tellCentreOfAcceptance(d, outcome.need, centre);
    if (outcome.need.status === "filled") await d.store.needs.withdrawOpen(need.id);
  } else await runWave(d, need.id);
  const status = outcome.offer.status;
  return ok(status === "accepted" || status === "declined" ? status : "deferred");
}

async function askInstitution(d: MatchingDeps, offer: Offer, need: Need, centre: Centre, person: Person) {
  if (!offer.institutionCode) {
    d.logger.warn({ offer: offer.id }, "no intermediary institution for an acceptance");
    return;
  }
  const institution = await d.store.centres.getInstitution(offer.institutionCode);
  await pushToHolders(d, "institution_operator", offer.institutionCode, (t, lang) => ({
    ...approvalNotice(t, lang, d.timeZone, { offer, person, need, centre, institution: institution?.name ?? null }),
    about: [person.id],
  }));
}

/**
 * The centre hears that someone said yes: how many of its places are taken, and that the institution decides next.
 * No name or contact yet: those come with the introduction, once the institution approves.
 */
async function tellCentreOfAcceptance(d: MatchingDeps, need: Need, centre: Centre) {
  await pushToHolders(d, "centre_coordinator", centre.code, (t, lang) => ({
    text: t(need.role ? "match.centre_accepted" : "match.centre_accepted_request", {
      role: need.role ? t(`taxonomy.role.${need.role}`) : "",
      centre: centre.name,
      filled: digits(lang, String(need.filled)),
      wanted: digits(lang, String(need.wanted)),
    }),
  }));
}

/** An institution operator approves or rejects an accepted offer. */
export async function decideOffer(
  d: MatchingDeps,
  actor: Actor,
  offerId: string,
  approve: boolean,
  reason: RejectReason | null,
): Promise<Result<Offer, Refusal>> {
  const offer = await d.store.needs.getOffer(offerId);
  if (!offer) return fail("not_found");
  const scope = offer.institutionCode ?? "none";
  const action = approve ? "offer.approve" : "offer.reject";
  const institutionCode = offer.institutionCode;
  const allowed = institutionCode !== null && canActForInstitution(actor, institutionCode);
  const attempt = { actor: actor.id, action, scope, target: offerId };
  // (`institutionCode === null` is refused by `allowed` already: said again for the type.)
  if (!(await authorize(d.store, d.logger, allowed, attempt)) || institutionCode === null) return fail("forbidden");
  const decided = await d.store.needs.decide(offerId, approve, actor.id, approve ? null : (reason ?? "other"));
  await audit(d.store, d.logger, {
    actor: actor.id,
    action,
    scope,
    target: offerId,
    outcome: decided ? "ok" : "refused",
    details: decided ? { need: decided.need.id, reason } : { status: offer.status },
  });
  if (!decided) return fail("state");
  const centre = (await d.store.centres.getCentre(decided.need.centreCode))!;
  if (approve) {
    await introduce(d, decided.offer, decided.need, centre);
    // A centre's need: its dates and weekly slots become the volunteer's sessions.
    const sessions = await scheduleSessions(d, decided.offer, decided.need);
    const volunteer = await d.store.people.get(decided.offer.personId);
    if (volunteer) await tellSchedule(d, volunteer, sessions, centre);
  } else {
    const person = await d.store.people.get(offer.personId);
    if (person) {
      const t = d.i18n.t(langOf(person));
      const institution = await d.store.centres.getInstitution(institutionCode);
      await pushTo(
        d.store,
        person.id,
        t("match.rejected", {
          institution: institution?.name ?? offer.institutionCode,
          reason: t(`match.reject_reason.${reason ?? "other"}`),
        }),
      );
    }
    await runWave(d, decided.need.id);
  }
  return ok(decided.offer);
}

/** Both sides get what they need to meet; contact details only now. */
async function introduce(d: MatchingDeps, offer: Offer, need: Need, centre: Centre): Promise<void> {
  const volunteer = await d.store.people.get(offer.personId);
  if (!volunteer) return;
  const institution = offer.institutionCode ? await d.store.centres.getInstitution(offer.institutionCode) : null;
  const requester = need.requesterId ? await d.store.people.get(need.requesterId) : null;
  const vLang = langOf(volunteer);
  const vt = d.i18n.t(vLang);
  const contact = requester
    ? vt("match.intro_requester_contact", {
        name: fullName(requester),
        phone: phoneText(requester.phone),
        neighbourhood: requester.neighbourhood ?? "—",
      })
    : vt("match.intro_centre_contact", { address: digits(vLang, centre.address), phone: phoneText(centre.phone) });
  await pushTo(
    d.store,
    volunteer.id,
    vt("match.intro_volunteer", {
      institution: institution?.name ?? "—",
      need: needLines(vt, vLang, need, centre, d.timeZone),
      contact,
    }),
    requester
      ? { buttons: [[{ text: vt("hours.report_button"), data: hoursData(offer.id) }]], about: [requester.id] }
      : {},
  );
  const about = (t: TFunction) =>
    t("match.intro_about_volunteer", {
      name: fullName(volunteer),
      phone: phoneText(volunteer.phone),
      code: copyable(volunteer.volunteerCode),
      institution: institution?.name ?? "—",
    });
  if (requester) {
    const lang = langOf(requester);
    const t = d.i18n.t(lang);
    await pushTo(
      d.store,
      requester.id,
      t("match.intro_requester", { need: needLines(t, lang, need, centre, d.timeZone), volunteer: about(t) }),
      { about: [volunteer.id] },
    );
  }
  await pushToHolders(d, "centre_coordinator", centre.code, (t, lang) => ({
    text: t("match.intro_centre", { need: needLines(t, lang, need, centre, d.timeZone), volunteer: about(t) }),
    ...(requester ? {} : { buttons: [[{ text: t("hours.confirm_button"), data: hoursData(offer.id) }]] }),
    about: [volunteer.id, ...(requester ? [requester.id] : [])],
  }));
}
