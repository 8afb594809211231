import { addDaysIso, isoDateIn } from "../../domain/jalali.js";
import { localInstant, occurrences, UPCOMING_STATUSES } from "../../domain/sessions.js";
import { fail, ok, type Result } from "../../domain/result.js";
import type { Centre, Need, Offer, Person, ServiceSession } from "../../store/port/index.js";
import { num } from "../../format.js";
import { pushTo } from "../broadcast.js";
import { langOf, nowOf, type MatchingDeps } from "../matching/deps.js";
import { runWave } from "../matching/needs.js";
import { sessionButtons, sessionLine } from "./texts.js";

/**
 * Sessions: made when an institution approves an offer for a centre's need
 * (one per date and part of day of its weekly slots, from now to its end),
 * listed by `/schedule`, confirmed or cancelled by the volunteer.
 */
export async function scheduleSessions(d: MatchingDeps, offer: Offer, need: Need): Promise<ServiceSession[]> {
  if (need.kind !== "centre" || offer.status !== "approved") return [];
  const now = nowOf(d);
  const from = need.startDate > isoDateIn(now, d.timeZone) ? need.startDate : isoDateIn(now, d.timeZone);
  const made = await d.store.sessions.create(
    occurrences(need.slots, from, need.endDate, now, d.timeZone).map((o) => ({
      ...o,
      offerId: offer.id,
      needId: need.id,
      personId: offer.personId,
      centreCode: need.centreCode,
    })),
  );
  d.logger.info({ offer: offer.id, sessions: made.length }, "service sessions made");
  return made;
}

/** After an introduction: the volunteer's first sessions, and where to see them all. */
export async function tellSchedule(d: MatchingDeps, person: Person, sessions: ServiceSession[], centre: Centre) {
  if (sessions.length === 0) return;
  const lang = langOf(person);
  const t = d.i18n.t(lang);
  const lines = sessions.slice(0, 3).map((s) => sessionLine(t, lang, d.timeZone, s, centre));
  await pushTo(d.store, person.id, t("service.scheduled", { n: num(lang, sessions.length), lines: lines.join("\n") }), {
    buttons: sessionButtons(t, sessions[0]!),
  });
}

/** A volunteer's sessions from now on (and one checked in now), with their centres. */
export async function volunteerSchedule(d: MatchingDeps, personId: string, limit = 10) {
  const now = nowOf(d);
  const [current, upcoming] = await Promise.all([
    d.store.sessions.list({ personId, statuses: ["checked_in"] }, 5),
    d.store.sessions.list(
      { personId, statuses: UPCOMING_STATUSES, startsFrom: new Date(now.getTime() - 12 * 3_600_000) },
      limit + 5,
    ),
  ]);
  const sessions = [...current, ...upcoming.filter((s) => s.endsAt > now)].slice(0, limit);
  const codes = [...new Set(sessions.map((s) => s.centreCode))];
  if (codes.length === 0) return [];
  const centres = new Map((await d.store.centres.listCentres({ codes })).map((c) => [c.code, c]));
  return sessions.flatMap((s) =>
    centres.has(s.centreCode) ? [{ session: s, centre: centres.get(s.centreCode)! }] : [],
  );
}

/** Whether an institution has ever introduced this person (their sessions may all be behind them). */
export const hasServed = async (d: MatchingDeps, personId: string) =>
  (await d.store.needs.approvedOf(personId)).length > 0;

export type SessionAnswer = "confirm" | "cancel";

/**
 * The volunteer answers a reminder. "I'm coming" confirms. "I can't come"
 * cancels this session and the later ones of the same need: the place is
 * released and the next wave goes out at once (held only in quiet hours, as
 * every wave is). Only before the session starts, and only one's own.
 */
export async function answerSession(
  d: MatchingDeps,
  person: Person,
  sessionId: string,
  answer: SessionAnswer,
): Promise<Result<{ session: ServiceSession; cancelled: number; wave: number }, "not_found" | "state">> {
  const session = await d.store.sessions.get(sessionId);
  if (!session || session.personId !== person.id) return fail("not_found");
  const now = nowOf(d);
  if (session.startsAt <= now) return fail("state");
  if (answer === "confirm") {
    const moved = await d.store.sessions.move(sessionId, ["scheduled", "unconfirmed", "confirmed"], "confirmed", {
      confirmedAt: now,
    });
    return moved ? ok({ session: moved, cancelled: 0, wave: 0 }) : fail("state");
  }
  const cancelled = await d.store.sessions.cancelFrom(session.offerId, session.startsAt, UPCOMING_STATUSES, now);
  if (!cancelled.some((s) => s.id === sessionId)) return fail("state");
  const released = await d.store.needs.release(session.offerId);
  const wave = released ? await runWave(d, session.needId) : [];
  d.logger.info(
    { session: sessionId, cancelled: cancelled.length, released: !!released, wave: wave.length },
    "service session cancelled",
  );
  return ok({ session: cancelled.find((s) => s.id === sessionId)!, cancelled: cancelled.length, wave: wave.length });
}

/**
 * A need changed (its end date edited, or it was closed): the sessions of its
 * approved volunteers follow. Those ahead that it no longer covers are
 * cancelled (the volunteer is told), and a later end date adds the new ones.
 */
export async function needChanged(d: MatchingDeps, needId: string): Promise<{ added: number; cancelled: number }> {
  const need = await d.store.needs.get(needId);
  if (!need || need.kind !== "centre") return { added: 0, cancelled: 0 };
  const now = nowOf(d);
  const ended = need.status === "closed" || need.status === "expired";
  const from = ended ? now : localInstant(addDaysIso(need.endDate, 1), 0, d.timeZone);
  const centre = await d.store.centres.getCentre(need.centreCode);
  let added = 0;
  let cancelled = 0;
  for (const offer of await d.store.needs.offers(needId)) {
    if (offer.status !== "approved") continue;
    const gone = await d.store.sessions.cancelFrom(offer.id, from < now ? now : from, UPCOMING_STATUSES, now);
    cancelled += gone.length;
    if (!ended) added += (await scheduleSessions(d, offer, need)).length;
    const person = gone.length > 0 && centre ? await d.store.people.get(offer.personId) : null;
    if (person && centre) {
      const lang = langOf(person);
      const t = d.i18n.t(lang);
      await pushTo(
        d.store,
        person.id,
        t("service.need_changed", {
          centre: centre.name,
          lines: gone.map((s) => sessionLine(t, lang, d.timeZone, s, centre)).join("\n"),
        }),
      );
    }
  }
  if (added || cancelled) d.logger.info({ need: needId, added, cancelled }, "sessions follow the need");
  return { added, cancelled };
}
