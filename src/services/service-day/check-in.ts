import {
  CHECK_IN_FAR_METRES,
  CHECK_IN_DIGITS_TRIES,
  checkInCentre,
  checkInDigits,
  checkInPayload,
  checkInSubject,
  verifyCheckIn,
} from "../../domain/check-in.js";
import { distanceKm } from "../../domain/matching.js";
import { fail, ok, type Result } from "../../domain/result.js";
import { CHECK_OUT_GRACE_MS, inCheckInWindow, proposedMinutes, UPCOMING_STATUSES } from "../../domain/sessions.js";
import type { Centre, Person, ServiceSession } from "../../store/port/index.js";
import { audit, authorize, canActForCentre, type Actor } from "../access.js";
import { nowOf, pushToHolders } from "../matching/deps.js";
import { fullName } from "../matching/notices.js";
import { addDaysIso, formatJalaliDate, formatJalaliDateTime, isoDateIn } from "../../domain/jalali.js";
import { hoursOf } from "../../domain/ledger.js";
import { copyable, digits as inLanguage, num } from "../../format.js";
import type { TFunction } from "../../i18n.js";
import { renderCheckInPoster } from "../../render/qr-poster.js";
import { attendanceData } from "../../domain/callback-data.js";
import { sessionWhen } from "./texts.js";
import type { ServiceDayDeps } from "./deps.js";

/**
 * Check-in at the centre: the volunteer opens the centre's link (its QR code
 * at the door) during a session of theirs there, and checks out with a
 * button. A coordinator can do either by hand for someone without a phone at
 * hand; that is audited.
 */

/** The signer of a centre's check-in codes on a local day, at its codes' current generation. */
async function daySigner(d: ServiceDayDeps, centreCode: string, day: string, epochShift = 0) {
  const epoch = (await d.store.centres.checkInEpoch(centreCode)) + epochShift;
  return (code: string) => d.signCheckIn(checkInSubject(code, day, epoch));
}

const today = (d: ServiceDayDeps) => isoDateIn(nowOf(d), d.timeZone);

/** A centre's check-in link for today on each running bot (Bale's first), and its payload. */
export async function checkInLinks(d: ServiceDayDeps, centreCode: string) {
  const payload = checkInPayload(centreCode, await daySigner(d, centreCode, today(d)));
  // In the capability table's order (Bale's first: the messenger most citizens have).
  const links = d.checkInLinks(payload);
  return { payload, links, digits: checkInDigits(centreCode, await daySigner(d, centreCode, today(d))) };
}

/** A centre's printable check-in poster for today (PNG) in the reader's words, with the links and the code it carries. */
export async function checkInPoster(
  d: ServiceDayDeps,
  centre: Pick<Centre, "code" | "name">,
  t: TFunction,
  lang: "fa" | "en" = "fa",
) {
  const { payload, links, digits } = await checkInLinks(d, centre.code);
  const png = renderCheckInPoster({
    title: t("service.poster_title", { centre: centre.name }),
    instructions: t("service.poster_instructions"),
    codes: links.map((l) => ({ label: t(`platform_name.${l.platform}`), url: l.url })),
    footer: t("service.poster_footer_digits", { digits: inLanguage(lang, digits), code: copyable(payload) }),
    validity: t("service.poster_valid_on", { date: formatJalaliDate(nowOf(d), lang, d.timeZone) }),
  });
  return { png, payload, links, digits };
}

/** Retires every check-in code of a centre at once (a poster photographed and shared): audited. */
export async function rotateCheckIn(d: ServiceDayDeps, actor: Actor, centreCode: string) {
  const centre = centreCode.length < 50 ? await d.store.centres.getCentre(centreCode) : null;
  const attempt = {
    actor: actor.id,
    action: "checkin.rotate",
    scope: centre?.code ?? "*",
    target: centreCode.slice(0, 50),
  };
  if (!centre) {
    await audit(d.store, d.logger, { ...attempt, outcome: "refused" });
    return fail("not_found" as const);
  }
  if (!(await authorize(d.store, d.logger, canActForCentre(actor, centre), attempt))) return fail("forbidden" as const);
  const epoch = await d.store.centres.rotateCheckIn(centre.code);
  await audit(d.store, d.logger, { ...attempt, outcome: "ok", details: { generation: epoch } });
  return ok(centre);
}

export type CheckInRefusal =
  /** The link is not one we issued (altered, or made up). */
  | "forged"
  /** A genuine code of another day, or of a generation the centre retired: ask for today's. */
  | "stale"
  /** No session of theirs at this centre now; `other` when one is now at another centre. */
  | "no_session"
  | "other_centre"
  | "not_registered";

/** A person's sessions from a day before to a day after `now` (those a check-in could be for). */
const sessionsAround = (d: ServiceDayDeps, personId: string, now: Date) =>
  d.store.sessions.list(
    {
      personId,
      statuses: [...UPCOMING_STATUSES, "checked_in"],
      startsFrom: new Date(now.getTime() - 24 * 3_600_000),
      startsBefore: new Date(now.getTime() + 24 * 3_600_000),
    },
    20,
  );

/** The volunteer opened a check-in link: checked in to their session there now, or already in it. */
export async function checkIn(
  d: ServiceDayDeps,
  person: Person | null,
  actorId: string,
  payload: string,
): Promise<Result<{ session: ServiceSession; centre: Centre; already: boolean }, CheckInRefusal>> {
  const named = checkInCentre(payload);
  const centre = named ? await d.store.centres.getCentre(named) : null;
  const day = today(d);
  const genuine = centre !== null && verifyCheckIn(payload, await daySigner(d, centre.code, day)) === centre.code;
  if (centre && !genuine && (await staleCode(d, centre.code, payload, day))) {
    d.logger.info({ centre: centre.code }, "check-in refused: a code of another day or a retired one");
    return fail("stale");
  }
  if (!centre || !genuine) {
    d.logger.warn({ actor: actorId }, "a check-in link that was not issued");
    // A link we never issued is a security event: audited.
    await audit(d.store, d.logger, {
      actor: actorId,
      action: "session.check_in_forged",
      scope: "*",
      target: null,
      outcome: "refused",
    });
    return fail("forged");
  }
  if (!person?.registeredAt) return fail("not_registered");
  const now = nowOf(d);
  return checkInAt(d, person, centre, now, await sessionsAround(d, person.id, now));
}

/** Checks a person in at a centre whose code was right: their session there now, or the reason there is none. */
async function checkInAt(
  d: ServiceDayDeps,
  person: Person,
  centre: Centre,
  now: Date,
  around: ServiceSession[],
): Promise<Result<{ session: ServiceSession; centre: Centre; already: boolean }, CheckInRefusal>> {
  const here = around.filter((s) => s.centreCode === centre.code && inCheckInWindow(s, now));
  const inside = here.find((s) => s.status === "checked_in");
  if (inside) return ok({ session: inside, centre, already: true });
  for (const s of here) {
    const moved = await d.store.sessions.move(s.id, UPCOMING_STATUSES, "checked_in", {
      checkInAt: now,
      checkInBy: "self",
    });
    if (moved) {
      d.logger.info({ session: s.id, centre: centre.code }, "checked in");
      return ok({ session: moved, centre, already: false });
    }
  }
  const elsewhere = around.some((s) => s.centreCode !== centre.code && inCheckInWindow(s, now));
  // A volunteer early, late or at the wrong door is told so (logged, not audited: no coordinator acted).
  d.logger.info({ centre: centre.code, person: person.id, elsewhere }, "check-in refused: no session now");
  return fail(elsewhere ? "other_centre" : "no_session");
}

/**
 * Six digits typed instead of the link: checked against today's code of each centre where the person has a session
 * in its check-in window, then checked in as by the link. `undefined` when the person has no such session (the digits
 * were not meant as a check-in); a few wrong codes a day, then refused until tomorrow.
 */
export async function checkInByDigits(
  d: ServiceDayDeps,
  person: Person | null,
  digits: string,
): Promise<
  | Result<{ session: ServiceSession; centre: Centre; already: boolean }, CheckInRefusal | "wrong_digits" | "too_many">
  | undefined
> {
  if (!person?.registeredAt) return undefined;
  const now = nowOf(d);
  const around = await sessionsAround(d, person.id, now);
  const centres = [...new Set(around.filter((s) => inCheckInWindow(s, now)).map((s) => s.centreCode))];
  if (centres.length === 0) return undefined;
  const day = today(d);
  // Every typed attempt takes one of a few tries a day (claimed, so two workers count together), before the code is
  // compared: six digits cannot be walked through, not even by someone who knows one centre's code.
  let tried = false;
  for (let i = 0; i < CHECK_IN_DIGITS_TRIES && !tried; i++)
    tried = await d.claimOnce(`check-in-digits:${person.id}:${day}:${i}`, 36 * 3_600);
  if (!tried) {
    d.logger.warn({ person: person.id }, "check-in by digits refused: too many tries today");
    return fail("too_many");
  }
  for (const code of centres) {
    if (checkInDigits(code, await daySigner(d, code, day)) !== digits) continue;
    // The code is this centre's today: checked in as by its link, on the sessions already read.
    const centre = await d.store.centres.getCentre(code);
    if (centre) return checkInAt(d, person, centre, now, around);
  }
  return fail("wrong_digits");
}

/** The volunteer's check-out: the minutes proposed from the check-in times, for the centre to approve. */
export async function checkOut(
  d: ServiceDayDeps,
  person: Person,
  sessionId: string,
): Promise<Result<ServiceSession, "not_found" | "state">> {
  const session = await d.store.sessions.get(sessionId);
  if (!session || session.personId !== person.id) return fail("not_found");
  const closed = await closeSession(d, session, "self");
  if (closed.ok) await tellCentre(d, person, closed.value);
  return closed;
}

/**
 * The volunteer, checked in, shared their location: how far from the centre it is, kept on the session for the
 * coordinator (a check-in far away is flagged, never refused). Nothing when no session of theirs is open now.
 */
export async function checkInLocation(
  d: ServiceDayDeps,
  person: Person | null,
  at: { lat: number; lon: number },
): Promise<Result<{ session: ServiceSession; metres: number | null }, "no_session">> {
  if (!person?.registeredAt || !Number.isFinite(at.lat) || !Number.isFinite(at.lon)) return fail("no_session");
  const now = nowOf(d);
  const [open] = (
    await d.store.sessions.list(
      { personId: person.id, statuses: ["checked_in"], startsFrom: new Date(now.getTime() - 24 * 3_600_000) },
      5,
    )
  ).filter((s) => now.getTime() <= s.endsAt.getTime() + CHECK_OUT_GRACE_MS);
  if (!open) return fail("no_session");
  const centre = await d.store.centres.getCentre(open.centreCode);
  const metres = centre?.location ? Math.round(distanceKm(centre.location, at) * 1000) : null;
  const kept = await d.store.sessions.patch(open.id, ["checked_in"], { checkInDistanceM: metres });
  if (metres !== null && metres > CHECK_IN_FAR_METRES)
    d.logger.info({ session: open.id, centre: open.centreCode, metres }, "check-in far from the centre: flagged");
  return kept ? ok({ session: kept, metres }) : fail("no_session");
}

/** A line for the coordinator when a check-in's shared location was far from the centre; empty otherwise. */
export const farLine = (t: TFunction, lang: "fa" | "en", s: Pick<ServiceSession, "checkInDistanceM">) =>
  (s.checkInDistanceM ?? 0) > CHECK_IN_FAR_METRES
    ? `\n${t("service.check_in_far", { km: num(lang, Math.round((s.checkInDistanceM! / 1000) * 10) / 10) })}`
    : "";

/** The centre's coordinators hear of a check-out, with the minutes proposed and a button to approve them. */
async function tellCentre(d: ServiceDayDeps, person: Person, s: ServiceSession) {
  await pushToHolders(d, "centre_coordinator", s.centreCode, (t, lang) => ({
    text:
      t("service.checked_out_centre", {
        name: fullName(person),
        when: sessionWhen(t, lang, d.timeZone, s),
        hours: num(lang, hoursOf(s.minutes ?? 0)),
        in: formatJalaliDateTime(s.checkInAt ?? s.startsAt, lang, d.timeZone),
        out: formatJalaliDateTime(s.checkOutAt ?? s.endsAt, lang, d.timeZone),
      }) + farLine(t, lang, s),
    buttons: [[{ text: t("service.approve_button"), data: attendanceData.pack(s.id) }]],
    about: [person.id],
  }));
}

async function closeSession(d: ServiceDayDeps, session: ServiceSession, by: string) {
  const now = nowOf(d);
  if (session.status !== "checked_in" || now.getTime() > session.endsAt.getTime() + CHECK_OUT_GRACE_MS)
    return fail("state" as const);
  const moved = await d.store.sessions.move(session.id, ["checked_in"], "checked_out", {
    checkOutAt: now,
    minutes: proposedMinutes(session, session.checkInAt ?? now, now, d.attendanceGraceMinutes),
  });
  if (moved) d.logger.info({ session: session.id, by: by === "self" ? "self" : "coordinator" }, "checked out");
  return moved ? ok(moved) : fail("state" as const);
}

/**
 * A coordinator checks a volunteer in (within the session's window) or out,
 * by hand: only for a centre they act for; audited either way.
 */
export async function checkByHand(
  d: ServiceDayDeps,
  actor: Actor,
  sessionId: string,
  kind: "in" | "out",
): Promise<Result<ServiceSession, "forbidden" | "not_found" | "state">> {
  const session = sessionId.length < 100 ? await d.store.sessions.get(sessionId) : null;
  const centre = session && (await d.store.centres.getCentre(session.centreCode));
  const action = kind === "in" ? "session.check_in_by_hand" : "session.check_out_by_hand";
  const attempt = { actor: actor.id, action, scope: centre?.code ?? "*", target: sessionId.slice(0, 100) };
  if (!session || !centre) {
    await audit(d.store, d.logger, { ...attempt, outcome: "refused" });
    return fail("not_found");
  }
  if (!(await authorize(d.store, d.logger, canActForCentre(actor, centre), attempt))) return fail("forbidden");
  const now = nowOf(d);
  let result: Result<ServiceSession, "state">;
  if (kind === "in") {
    const moved = inCheckInWindow(session, now)
      ? await d.store.sessions.move(sessionId, UPCOMING_STATUSES, "checked_in", { checkInAt: now, checkInBy: actor.id })
      : null;
    result = moved ? ok(moved) : fail("state");
  } else result = await closeSession(d, session, actor.id);
  await audit(d.store, d.logger, {
    ...attempt,
    outcome: result.ok ? "ok" : "refused",
    details: result.ok ? { person: session.personId } : { status: session.status },
  });
  return result;
}

/** Whether a payload is a genuine code of this centre for one of the last week's days, or of its last generation. */
async function staleCode(d: ServiceDayDeps, centreCode: string, payload: string, day: string): Promise<boolean> {
  for (let back = 1; back <= 7; back++)
    if (verifyCheckIn(payload, await daySigner(d, centreCode, addDaysIso(day, -back))) === centreCode) return true;
  const epoch = await d.store.centres.checkInEpoch(centreCode);
  return epoch > 0 && verifyCheckIn(payload, await daySigner(d, centreCode, day, -1)) === centreCode;
}
