import { addDaysIso, formatIsoDate, isoDateIn } from "../domain/jalali.js";
import { centreAccount, personAccount, serviceKey, servicePostings, type Account } from "../domain/ledger.js";
import { slotMask, waveSize, type CandidateQuery, type ScoreReason } from "../domain/matching.js";
import {
  ACTIVE_NEED_STATUSES,
  isActiveNeed,
  MAX_WANTED,
  OFFER_TTL_MS,
  type OfferAnswer,
  type RejectReason,
} from "../domain/needs.js";
import { countyLabel, num, slotsLabel } from "../format.js";
import { isQuiet, type QuietHours } from "../domain/quiet-hours.js";
import type { I18n, TFunction } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { Centre, Language, Need, NewNeed, Offer, Person, Store } from "../store/port.js";
import { audit, canActForCentre, canActForInstitution, holders, type Actor } from "./access.js";
import { pushTo, pushToAccount, type PushOptions } from "./broadcast.js";

/**
 * Needs, matching and introductions. A need's offers go out in waves through
 * the delivery engine; an acceptance goes to the volunteer's intermediary
 * institution, and only its approval reveals contact details to either side.
 * Every coordinator action is checked here (not in the bot) and audited.
 */
export interface MatchingDeps {
  store: Store;
  i18n: I18n;
  logger: Logger;
  timeZone: string;
  now?: () => Date;
  offerTtlMs?: number;
  /** No new wave of notices goes out in quiet hours (the next tick after them sends it); `null`: none. */
  quietHours?: QuietHours | null;
}

export type Refusal = "forbidden" | "not_found" | "invalid" | "state";
export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: Refusal };
const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const refuse = <T>(reason: Refusal): Outcome<T> => ({ ok: false, reason });

const nowOf = (d: MatchingDeps) => d.now?.() ?? new Date();
/** Volunteers are not woken for a notice: waves wait for the end of quiet hours. */
export const inQuietHours = (d: MatchingDeps) => !!d.quietHours && isQuiet(nowOf(d), d.timeZone, d.quietHours);
const langOf = (p: Pick<Person, "language"> | null): Language => p?.language ?? "fa";

/** The callback data a notice's buttons carry; every one is checked against the store when tapped. */
export const offerData = (answer: OfferAnswer, offerId: string) => `of:${answer[0]}:${offerId}`;
export const decisionData = (approve: boolean, offerId: string) => `od:${approve ? "y" : "n"}:${offerId}`;
export const rejectReasonData = (offerId: string, reason: RejectReason) => `od:r:${offerId}:${reason}`;
export const reviewData = (approve: boolean, needId: string) => `rq:${approve ? "y" : "n"}:${needId}`;
export const hoursData = (offerId: string) => `hr:${offerId}`;
export const hoursAmountData = (offerId: string, minutes: number) => `hh:${offerId}:${minutes}`;
/** The requester's confirmation of a stored report: the button names the report, never minutes or a date. */
export const hoursConfirmData = (reportId: string) => `hc:${reportId}`;

/** Hours one can report for one service, in minutes. */
export const SERVICE_MINUTES = [60, 120, 180, 240, 360, 480] as const;

export interface NeedInput {
  centreCode: string;
  role: string | null;
  skills: string[];
  wanted: number;
  startDate: string;
  endDate: string;
  slots: NewNeed["slots"];
  reach: NewNeed["reach"];
  notes: string | null;
}

function validNeed(n: NeedInput, today: string): boolean {
  return (
    Number.isInteger(n.wanted) &&
    n.wanted >= 1 &&
    n.wanted <= MAX_WANTED &&
    (n.role !== null || n.skills.length > 0) &&
    n.slots.length > 0 &&
    /^\d{4}-\d{2}-\d{2}$/.test(n.startDate) &&
    /^\d{4}-\d{2}-\d{2}$/.test(n.endDate) &&
    n.startDate <= n.endDate &&
    n.endDate >= today
  );
}

/** A centre's coordinator (or an admin over it) posts a need; the first wave goes out at once. */
export async function postNeed(d: MatchingDeps, actor: Actor, input: NeedInput): Promise<Outcome<Need>> {
  const centre = await d.store.centres.getCentre(input.centreCode);
  if (!centre) return refuse("not_found");
  if (!canActForCentre(actor, centre)) {
    await audit(d.store, d.logger, {
      actor: actor.id,
      action: "need.post",
      scope: centre.code,
      target: null,
      outcome: "refused",
    });
    return refuse("forbidden");
  }
  if (!validNeed(input, isoDateIn(nowOf(d), d.timeZone))) return refuse("invalid");
  const need = await d.store.needs.create({
    ...input,
    kind: "centre",
    requesterId: null,
    createdBy: actor.id,
    status: "open",
  });
  await audit(d.store, d.logger, {
    actor: actor.id,
    action: "need.post",
    scope: centre.code,
    target: need.id,
    outcome: "ok",
    details: { wanted: need.wanted, role: need.role, skills: need.skills.length, reach: need.reach },
  });
  await runWave(d, need.id);
  return ok((await d.store.needs.get(need.id))!);
}

/** The search a need makes, from its centre's place. */
export function queryOf(need: Need, centre: Centre, exclude: ReadonlySet<string>): CandidateQuery {
  return {
    province: centre.province,
    county: centre.county,
    neighbourhood: centre.neighbourhood,
    location: centre.location,
    reach: need.reach,
    role: need.role,
    skills: need.skills,
    slotMask: slotMask(need.slots),
    exclude,
  };
}

/**
 * Sends the next wave of a need's offers, if it still needs people and
 * enough offers are not already waiting. Returns the offers sent.
 */
export async function runWave(d: MatchingDeps, needId: string): Promise<Offer[]> {
  if (inQuietHours(d)) return [];
  const need = await d.store.needs.get(needId);
  if (!need || !isActiveNeed(need.status)) return [];
  const centre = await d.store.centres.getCentre(need.centreCode);
  if (!centre) return [];
  const offers = await d.store.needs.offers(needId);
  const now = nowOf(d);
  const awaiting = offers.filter(
    (o) => (o.status === "pending" || o.status === "deferred") && o.expiresAt > now,
  ).length;
  const size = waveSize({ wanted: need.wanted, filled: need.filled, awaiting });
  if (size === 0) return [];
  const exclude = new Set(offers.map((o) => o.personId));
  if (need.requesterId) exclude.add(need.requesterId);
  const candidates = await d.store.needs.candidates(queryOf(need, centre, exclude), size, now);
  if (candidates.length === 0) return [];
  const expires = new Date(now.getTime() + (d.offerTtlMs ?? OFFER_TTL_MS));
  const created = await d.store.needs.createOffers(needId, candidates, now, expires);
  for (const offer of created) await notifyOffer(d, offer, need, centre);
  d.logger.info({ need: needId, wave: need.waves + 1, offers: created.length }, "match wave sent");
  return created;
}

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
  return t("match.need_lines", {
    what: whatLabel(t, need),
    slots: slotsLabel(t, need.slots),
    start: formatIsoDate(need.startDate, lang, timeZone),
    end: formatIsoDate(need.endDate, lang, timeZone),
    place: `${centre.name} — ${countyLabel(t, centre.province, centre.county)}`,
    notes: need.notes ?? "—",
  });
}

async function notifyOffer(d: MatchingDeps, offer: Offer, need: Need, centre: Centre): Promise<void> {
  const person = await d.store.people.get(offer.personId);
  if (!person) return;
  const lang = langOf(person);
  const t = d.i18n.t(lang);
  const text = t("match.notice", {
    need: needLines(t, lang, need, centre, d.timeZone),
    why: reasonsText(t, lang, offer.reasons, false),
    expires: formatIsoDate(isoDateIn(offer.expiresAt, d.timeZone), lang, d.timeZone),
  });
  await pushTo(d.store, person.id, text, {
    buttons: [
      [
        { text: t("match.accept"), data: offerData("accept", offer.id) },
        { text: t("match.decline"), data: offerData("decline", offer.id) },
      ],
      [{ text: t("match.later"), data: offerData("later", offer.id) }],
    ],
  });
}

/**
 * The volunteer's intermediary institution, which approves the introduction:
 * the one behind the centre they registered through, only if that centre is
 * in their own province; else their province's first; else the need's
 * province's (its centre's own, or the province's first). A registration
 * source is only a code someone opened: a centre of another province never
 * moves the approval there.
 */
export async function institutionFor(store: Store, person: Person, centre: Centre): Promise<string | null> {
  const home = person.source ? await store.centres.getCentre(person.source) : null;
  if (home?.institutionCode && person.province && home.province === person.province) return home.institutionCode;
  if (person.province) {
    const [first] = await store.centres.listInstitutions({ province: person.province });
    if (first) return first.code;
  }
  const own = centre.institutionCode ? await store.centres.getInstitution(centre.institutionCode) : null;
  if (own && own.province === centre.province) return own.code;
  const [first] = await store.centres.listInstitutions({ province: centre.province });
  return first?.code ?? null;
}

export type AnswerResult = "accepted" | "declined" | "deferred" | "closed" | "full" | "not_found";

/** A volunteer answers a notice. An acceptance asks the institution to approve the introduction. */
export async function answerOffer(
  d: MatchingDeps,
  person: Person,
  offerId: string,
  answer: OfferAnswer,
): Promise<AnswerResult> {
  const offer = await d.store.needs.getOffer(offerId);
  if (!offer || offer.personId !== person.id) return "not_found";
  const need = await d.store.needs.get(offer.needId);
  const centre = need && (await d.store.centres.getCentre(need.centreCode));
  if (!need || !centre) return "not_found";
  const institution = answer === "accept" ? await institutionFor(d.store, person, centre) : null;
  const outcome = await d.store.needs.answer(offerId, person.id, answer, nowOf(d), institution);
  if (outcome.type === "closed") return "closed";
  if (outcome.type === "full") return "full";
  if (answer === "accept") {
    await askInstitution(d, outcome.offer, outcome.need, centre, person);
    if (outcome.need.status === "filled") await d.store.needs.withdrawOpen(need.id);
  } else await runWave(d, need.id);
  return outcome.offer.status === "accepted"
    ? "accepted"
    : outcome.offer.status === "declined"
      ? "declined"
      : "deferred";
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
      code: person.volunteerCode ?? "—",
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

/** Tells every account holding a role in a scope, each in their own language. */
async function pushToHolders(
  d: MatchingDeps,
  role: "institution_operator" | "centre_coordinator",
  scope: string,
  build: (t: TFunction, lang: Language) => { text: string; buttons?: PushOptions["buttons"]; about?: string[] },
): Promise<void> {
  for (const ref of await holders(d.store, role, scope)) {
    const lang = langOf(await d.store.people.findByIdentity(ref));
    const { text, buttons, about } = build(d.i18n.t(lang), lang);
    await pushToAccount(d.store, ref, text, { ...(buttons ? { buttons } : {}), ...(about ? { about } : {}) });
  }
}

/** An institution operator approves or rejects an accepted offer. */
export async function decideOffer(
  d: MatchingDeps,
  actor: Actor,
  offerId: string,
  approve: boolean,
  reason: RejectReason | null,
): Promise<Outcome<Offer>> {
  const offer = await d.store.needs.getOffer(offerId);
  if (!offer) return refuse("not_found");
  const scope = offer.institutionCode ?? "none";
  const action = approve ? "offer.approve" : "offer.reject";
  if (!offer.institutionCode || !canActForInstitution(actor, offer.institutionCode)) {
    await audit(d.store, d.logger, { actor: actor.id, action, scope, target: offerId, outcome: "refused" });
    return refuse("forbidden");
  }
  const decided = await d.store.needs.decide(offerId, approve, actor.id, approve ? null : (reason ?? "other"));
  await audit(d.store, d.logger, {
    actor: actor.id,
    action,
    scope,
    target: offerId,
    outcome: decided ? "ok" : "refused",
    details: decided ? { need: decided.need.id, reason } : { status: offer.status },
  });
  if (!decided) return refuse("state");
  const centre = (await d.store.centres.getCentre(decided.need.centreCode))!;
  if (approve) await introduce(d, decided.offer, decided.need, centre);
  else {
    const person = await d.store.people.get(offer.personId);
    if (person) {
      const t = d.i18n.t(langOf(person));
      const institution = await d.store.centres.getInstitution(offer.institutionCode);
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

const fullName = (p: Person) => `${p.firstName ?? ""} ${p.lastName ?? ""}`.trim();

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
        phone: requester.phone ?? "—",
        neighbourhood: requester.neighbourhood ?? "—",
      })
    : vt("match.intro_centre_contact", { address: centre.address, phone: centre.phone ?? "—" });
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
      phone: volunteer.phone ?? "—",
      code: volunteer.volunteerCode ?? "—",
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

/** An owner closes a need: open offers are withdrawn. */
export async function closeNeed(d: MatchingDeps, actor: Actor, needId: string): Promise<Outcome<Need>> {
  const need = await d.store.needs.get(needId);
  const centre = need && (await d.store.centres.getCentre(need.centreCode));
  if (!need || !centre) return refuse("not_found");
  const mayClose = canActForCentre(actor, centre) || (need.requesterId !== null && actor.id === need.createdBy);
  if (!mayClose) {
    await audit(d.store, d.logger, {
      actor: actor.id,
      action: "need.close",
      scope: centre.code,
      target: needId,
      outcome: "refused",
    });
    return refuse("forbidden");
  }
  const closed = await d.store.needs.transition(
    needId,
    [...ACTIVE_NEED_STATUSES, "filled", "review"],
    "closed",
    actor.id,
  );
  if (closed) await d.store.needs.withdrawOpen(needId);
  await audit(d.store, d.logger, {
    actor: actor.id,
    action: "need.close",
    scope: centre.code,
    target: needId,
    outcome: closed ? "ok" : "refused",
  });
  return closed ? ok((await d.store.needs.get(needId))!) : refuse("state");
}

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
): Promise<Outcome<Need>> {
  if (!person.registeredAt) return refuse("forbidden");
  const centre = await reviewingCentre(d.store, person);
  if (!centre) return refuse("not_found");
  const full: NeedInput = { ...input, centreCode: centre.code, role: null, reach: "county" };
  if (!validNeed(full, isoDateIn(nowOf(d), d.timeZone))) return refuse("invalid");
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
): Promise<Outcome<Need>> {
  const need = await d.store.needs.get(needId);
  const centre = need && (await d.store.centres.getCentre(need.centreCode));
  if (!need || !centre || need.kind !== "request") return refuse("not_found");
  const action = approve ? "request.approve" : "request.reject";
  if (!canActForCentre(actor, centre)) {
    await audit(d.store, d.logger, { actor: actor.id, action, scope: centre.code, target: needId, outcome: "refused" });
    return refuse("forbidden");
  }
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
  if (!moved) return refuse("state");
  const requester = need.requesterId ? await d.store.people.get(need.requesterId) : null;
  if (requester) {
    const t = d.i18n.t(langOf(requester));
    await pushTo(d.store, requester.id, t(approve ? "request.approved" : "request.rejected"));
  }
  if (approve) await runWave(d, needId);
  return ok((await d.store.needs.get(needId))!);
}

export type HoursResult =
  | { type: "credited"; minutes: number; created: boolean }
  | { type: "sent_for_confirmation"; minutes: number }
  | { type: "refused"; reason: Refusal };

/** Who confirms an approved offer's hours: the centre for its needs, the requester for a time-bank request. */
async function servicePair(d: MatchingDeps, offerId: string) {
  const offer = await d.store.needs.getOffer(offerId);
  if (!offer || offer.status !== "approved") return null;
  const need = await d.store.needs.get(offer.needId);
  const centre = need && (await d.store.centres.getCentre(need.centreCode));
  if (!need || !centre) return null;
  return { offer, need, centre };
}

/**
 * Reports a service's hours. For a centre's need the centre's coordinator
 * confirms, and the entry is posted at once. For a request the volunteer
 * reports and the requester is asked to confirm.
 */
export async function reportHours(
  d: MatchingDeps,
  actor: Actor,
  person: Person | null,
  offerId: string,
  minutes: number,
): Promise<HoursResult> {
  if (!(SERVICE_MINUTES as readonly number[]).includes(minutes)) return { type: "refused", reason: "invalid" };
  const pair = await servicePair(d, offerId);
  if (!pair) return { type: "refused", reason: "not_found" };
  const date = isoDateIn(nowOf(d), d.timeZone);
  if (date < pair.need.startDate) return { type: "refused", reason: "state" };
  if (pair.need.kind === "centre") return confirmHours(d, actor, person, offerId, minutes, date);
  if (!person || person.id !== pair.offer.personId) return { type: "refused", reason: "forbidden" };
  const requester = await d.store.people.get(pair.need.requesterId!);
  if (!requester) return { type: "refused", reason: "not_found" };
  // Kept on the server: the requester's button confirms this record, whatever a button could carry.
  const report = await d.store.needs.reportHours({ offerId, minutes, date });
  const t = d.i18n.t(langOf(requester));
  const lang = langOf(requester);
  await pushTo(
    d.store,
    requester.id,
    t("hours.confirm_request", {
      name: fullName(person),
      hours: num(lang, minutes / 60),
      date: formatIsoDate(date, lang, d.timeZone),
    }),
    { buttons: [[{ text: t("hours.confirm_yes"), data: hoursConfirmData(report.id) }]], about: [person.id] },
  );
  return { type: "sent_for_confirmation", minutes };
}

/**
 * A requester confirms a volunteer's report: the minutes and the day are the
 * stored report's. A report confirmed already, or replaced by a newer one
 * for the same day, credits nothing.
 */
export async function confirmReportedHours(
  d: MatchingDeps,
  actor: Actor,
  person: Person | null,
  reportId: string,
): Promise<HoursResult> {
  const report = await d.store.needs.getHourReport(reportId);
  if (!report) return { type: "refused", reason: "not_found" };
  const pair = await servicePair(d, report.offerId);
  if (!pair || pair.need.kind !== "request") return { type: "refused", reason: "not_found" };
  if (!person || person.id !== pair.need.requesterId) return { type: "refused", reason: "forbidden" };
  if (report.status === "superseded") return { type: "refused", reason: "state" };
  const result = await confirmHours(d, actor, person, report.offerId, report.minutes, report.date);
  if (result.type === "credited") await d.store.needs.confirmHourReport(report.id);
  return result;
}

/**
 * Confirms a service's hours: a double-entry ledger entry, keyed by the offer
 * and the day, so confirming twice credits once.
 */
async function confirmHours(
  d: MatchingDeps,
  actor: Actor,
  person: Person | null,
  offerId: string,
  minutes: number,
  date: string,
): Promise<HoursResult> {
  if (!(SERVICE_MINUTES as readonly number[]).includes(minutes) || !/^\d{4}-\d{2}-\d{2}$/.test(date))
    return { type: "refused", reason: "invalid" };
  const pair = await servicePair(d, offerId);
  if (!pair) return { type: "refused", reason: "not_found" };
  const { offer, need, centre } = pair;
  const today = isoDateIn(nowOf(d), d.timeZone);
  if (date > today || date < addDaysIso(need.startDate, -1) || date > addDaysIso(need.endDate, 1))
    return { type: "refused", reason: "state" };
  let receiver: Account;
  if (need.kind === "centre") {
    if (!canActForCentre(actor, centre)) {
      await audit(d.store, d.logger, {
        actor: actor.id,
        action: "hours.confirm",
        scope: centre.code,
        target: offerId,
        outcome: "refused",
      });
      return { type: "refused", reason: "forbidden" };
    }
    receiver = centreAccount(centre.code);
  } else {
    if (!person || person.id !== need.requesterId) return { type: "refused", reason: "forbidden" };
    receiver = personAccount(person.id);
  }
  const { created } = await d.store.ledger.post({
    key: serviceKey(offerId, date),
    kind: "service",
    offerId,
    reverses: null,
    memo: null,
    postings: servicePostings(personAccount(offer.personId), receiver, minutes),
    by: actor.id,
  });
  if (need.kind === "centre")
    await audit(d.store, d.logger, {
      actor: actor.id,
      action: "hours.confirm",
      scope: centre.code,
      target: offerId,
      outcome: "ok",
      details: { minutes, date, created },
    });
  if (created) await thankVolunteer(d, offer.personId, minutes);
  return { type: "credited", minutes, created };
}

/** Hours of service at which a volunteer gets a personal thank-you. */
export const HOUR_MILESTONES = [10, 25, 50, 100, 250, 500, 1000] as const;

/** The highest milestone (hours) passed when the total went from `before` to `after` minutes, if any. */
export function crossedMilestone(before: number, after: number): number | undefined {
  return [...HOUR_MILESTONES].reverse().find((h) => before < h * 60 && after >= h * 60);
}

async function thankVolunteer(d: MatchingDeps, personId: string, minutes: number) {
  const person = await d.store.people.get(personId);
  if (!person) return;
  const lang = langOf(person);
  const t = d.i18n.t(lang);
  const total = await d.store.ledger.given(personAccount(personId));
  await pushTo(
    d.store,
    personId,
    t("hours.credited", { hours: num(lang, minutes / 60), total: num(lang, Math.round(total / 6) / 10) }),
  );
  const milestone = crossedMilestone(total - minutes, total);
  if (milestone)
    await pushTo(
      d.store,
      personId,
      t("hours.milestone", { name: person.firstName ?? "", hours: num(lang, milestone) }),
    );
}

/**
 * The periodic work: unanswered offers expire, ended needs expire, and
 * needs still short of people send their next wave. Safe to run on every
 * worker: each step is a guarded update.
 */
export async function matchingTick(
  d: MatchingDeps,
): Promise<{ expiredOffers: number; expiredNeeds: number; waves: number }> {
  const now = nowOf(d);
  const expiredOffers = await d.store.needs.expireOffers(now);
  const expiredNeeds = await d.store.needs.expireEnded(isoDateIn(now, d.timeZone));
  for (const n of expiredNeeds) await d.store.needs.withdrawOpen(n.id);
  let waves = 0;
  for (const need of await d.store.needs.list({ statuses: [...ACTIVE_NEED_STATUSES] })) {
    if ((await runWave(d, need.id)).length > 0) waves++;
  }
  return { expiredOffers: expiredOffers.length, expiredNeeds: expiredNeeds.length, waves };
}
