import { addDaysIso, formatIsoDate, isoDateIn } from "../../domain/jalali.js";
import { centreAccount, personAccount, serviceKey, servicePostings, type Account } from "../../domain/ledger.js";
import { num } from "../../format.js";
import { ATTENDED_STATUSES } from "../../domain/sessions.js";
import type { Person } from "../../store/port/index.js";
import { hoursConfirmData } from "../../domain/callback-data.js";
import { audit, authorize, canActForCentre, isOwnPerson, type Actor } from "../access.js";
import { pushTo } from "../broadcast.js";
import { langOf, nowOf, type MatchingDeps, type Refusal } from "./deps.js";
import { fail, ok, type Result } from "../../domain/result.js";
import { fullName } from "./notices.js";

/** Hours of service: reported, confirmed by the centre or the requester, posted to the ledger, thanked for. */

/** Hours one can report for one service, in minutes. */
export const SERVICE_MINUTES = [60, 120, 180, 240, 360, 480] as const;

/** Hours reported: credited in the ledger (`created`: not already), or sent to the requester to confirm. */
export type HoursDone =
  { status: "credited"; minutes: number; created: boolean } | { status: "sent_for_confirmation"; minutes: number };

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
): Promise<Result<HoursDone, Refusal>> {
  if (!(SERVICE_MINUTES as readonly number[]).includes(minutes)) return fail("invalid");
  const pair = await servicePair(d, offerId);
  if (!pair) return fail("not_found");
  const date = isoDateIn(nowOf(d), d.timeZone);
  if (date < pair.need.startDate) return fail("state");
  if (pair.need.kind === "centre") return confirmHours(d, actor, person, offerId, minutes, date);
  if (!person || person.id !== pair.offer.personId) return fail("forbidden");
  const requester = await d.store.people.get(pair.need.requesterId!);
  if (!requester) return fail("not_found");
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
  return ok({ status: "sent_for_confirmation", minutes });
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
): Promise<Result<HoursDone, Refusal>> {
  const report = await d.store.needs.getHourReport(reportId);
  if (!report) return fail("not_found");
  const pair = await servicePair(d, report.offerId);
  if (!pair || pair.need.kind !== "request") return fail("not_found");
  if (!person || person.id !== pair.need.requesterId) return fail("forbidden");
  if (report.status === "superseded") return fail("state");
  const result = await confirmHours(d, actor, person, report.offerId, report.minutes, report.date);
  if (result.ok && result.value.status === "credited") await d.store.needs.confirmHourReport(report.id);
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
): Promise<Result<HoursDone, Refusal>> {
  if (!(SERVICE_MINUTES as readonly number[]).includes(minutes) || !/^\d{4}-\d{2}-\d{2}$/.test(date))
    return fail("invalid");
  const pair = await servicePair(d, offerId);
  if (!pair) return fail("not_found");
  const { offer, need, centre } = pair;
  const today = isoDateIn(nowOf(d), d.timeZone);
  if (date > today || date < addDaysIso(need.startDate, -1) || date > addDaysIso(need.endDate, 1)) return fail("state");
  let receiver: Account;
  if (need.kind === "centre") {
    const attempt = { actor: actor.id, action: "hours.confirm", scope: centre.code, target: offerId };
    if (!(await authorize(d.store, d.logger, canActForCentre(actor, centre), attempt))) return fail("forbidden");
    // Nobody credits their own hours (a coordinator who also volunteers at their centre).
    if (await isOwnPerson(d.store, actor, offer.personId)) {
      await audit(d.store, d.logger, { ...attempt, outcome: "refused", details: { reason: "own_hours" } });
      return fail("forbidden");
    }
    // A day whose session recorded attendance is credited by approving that attendance, never twice.
    const attended = await d.store.sessions.list({ offerId, statuses: ATTENDED_STATUSES }, 500);
    if (attended.some((s) => s.date === date)) return fail("state");
    receiver = centreAccount(centre.code);
  } else {
    if (!person || person.id !== need.requesterId) return fail("forbidden");
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
  return ok({ status: "credited", minutes, created });
}

/** Hours of service at which a volunteer gets a personal thank-you. */
export const HOUR_MILESTONES = [10, 25, 50, 100, 250, 500, 1000] as const;

/** The highest milestone (hours) passed when the total went from `before` to `after` minutes, if any. */
export function crossedMilestone(before: number, after: number): number | undefined {
  return [...HOUR_MILESTONES].reverse().find((h) => before < h * 60 && after >= h * 60);
}

export async function thankVolunteer(d: MatchingDeps, personId: string, minutes: number) {
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
