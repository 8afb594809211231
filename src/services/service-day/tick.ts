import { addDaysIso, isoDateIn } from "../../domain/jalali.js";
import { localHour } from "../../domain/quiet-hours.js";
import {
  CHECK_OUT_GRACE_MS,
  localInstant,
  PART_HOURS,
  REMINDER_LEADS,
  UPCOMING_STATUSES,
  weekdayOf,
  type ReminderKind,
} from "../../domain/sessions.js";
import { ACTIVE_NEED_STATUSES } from "../../domain/needs.js";
import { num } from "../../format.js";
import type { Centre, Language, ServiceSession } from "../../store/port/index.js";
import type { TFunction } from "../../i18n.js";
import { pushToPerson } from "../broadcast.js";
import { inQuietHours, langOf, nowOf, pushToHolders } from "../matching/deps.js";
import { fullName } from "../matching/notices.js";
import { DIGEST_HOUR, type ServiceDayDeps } from "./deps.js";
import { finishCrediting } from "./hours.js";
import { dayLabel, reminderText, sessionButtons, sessionWhen } from "./texts.js";

/**
 * The day of service's periodic work, safe on every worker (each step is a
 * guarded update or a claim): reminders 48 and 2 hours before (the 48-hour
 * one waits out quiet hours; both go through the urgent lane as every
 * one-to-one push does), sessions that started unanswered become
 * `unconfirmed`, ended ones nobody came to `absent`, checked-in ones never
 * checked out are flagged `no_checkout`, unfinished approvals are finished,
 * and at DIGEST_HOUR each centre's coordinators get tomorrow's digest.
 */
export async function serviceTick(d: ServiceDayDeps, batch = 1000) {
  const now = nowOf(d);
  const counts = { d2: 0, h2: 0, unconfirmed: 0, absent: 0, flagged: 0, finished: 0, digests: 0 };
  const at = (ms: number) => new Date(now.getTime() + ms);
  // The 2-hour reminder first: a session created late gets it, not a 48-hour one.
  counts.h2 = await remind(
    d,
    "h2",
    await d.store.sessions.list(
      { statuses: ["scheduled", "confirmed"], startsFrom: now, startsBefore: at(REMINDER_LEADS.h2), notReminded: "h2" },
      batch,
    ),
  );
  if (!inQuietHours(d))
    counts.d2 = await remind(
      d,
      "d2",
      await d.store.sessions.list(
        {
          statuses: ["scheduled"],
          startsFrom: at(REMINDER_LEADS.h2),
          startsBefore: at(REMINDER_LEADS.d2),
          notReminded: "d2",
        },
        batch,
      ),
    );
  for (const s of await d.store.sessions.list({ statuses: ["scheduled"], startsBefore: now }, 1000))
    if (await d.store.sessions.move(s.id, ["scheduled"], "unconfirmed")) counts.unconfirmed++;
  for (const s of await d.store.sessions.list({ statuses: UPCOMING_STATUSES, endsBefore: now }, 1000))
    if (await d.store.sessions.move(s.id, UPCOMING_STATUSES, "absent")) counts.absent++;
  for (const s of await d.store.sessions.list({ statuses: ["checked_in"], endsBefore: at(-CHECK_OUT_GRACE_MS) }, 1000))
    if (await d.store.sessions.move(s.id, ["checked_in"], "no_checkout")) counts.flagged++;
  counts.finished = await finishCrediting(d);
  // From DIGEST_HOUR until quiet hours begin (a process started late at night sends none that night).
  if (localHour(now, d.timeZone) >= DIGEST_HOUR && !inQuietHours(d)) counts.digests = await sendDigests(d);
  return counts;
}

async function remind(d: ServiceDayDeps, kind: ReminderKind, due: ServiceSession[]) {
  let sent = 0;
  // A batch is mostly a few centres' sessions: each centre read once.
  const centres = new Map<string, Promise<Centre | null>>();
  const centreOf = (code: string) => {
    if (!centres.has(code)) centres.set(code, d.store.centres.getCentre(code));
    return centres.get(code)!;
  };
  for (const s of due) {
    if (s.reminded[kind] || (kind === "d2" && s.reminded.h2)) continue;
    if (
      !(await d.store.sessions.claimReminder(
        s.id,
        kind,
        nowOf(d),
        kind === "d2" ? ["scheduled"] : ["scheduled", "confirmed"],
      ))
    )
      continue;
    const [person, centre] = await Promise.all([d.store.people.get(s.personId), centreOf(s.centreCode)]);
    if (!person || !centre) continue;
    const lang = langOf(person);
    const t = d.i18n.t(lang);
    await pushToPerson(d.store, person, reminderText(t, lang, d.timeZone, kind, s, centre, nowOf(d)), {
      buttons: sessionButtons(t, s),
    });
    sent++;
  }
  return sent;
}

/** Tomorrow's digest for every centre with sessions or open places tomorrow, once per centre and date. */
async function sendDigests(d: ServiceDayDeps) {
  const today = isoDateIn(nowOf(d), d.timeZone);
  const tomorrow = addDaysIso(today, 1);
  const codes = await d.store.sessions.centresWithSessions(
    localInstant(tomorrow, 0, d.timeZone),
    localInstant(addDaysIso(tomorrow, 1), 0, d.timeZone),
  );
  let sent = 0;
  if (codes.length === 0) return 0;
  for (const centre of await d.store.centres.listCentres({ codes })) {
    if (!(await d.claimOnce(`service-digest:${centre.code}:${tomorrow}`, 3 * 86_400))) continue;
    const digest = await centreDigest(d, centre, tomorrow);
    await pushToHolders(d, "centre_coordinator", centre.code, (t, lang) => ({
      text: digestText(t, lang, d.timeZone, centre, tomorrow, digest),
      about: digest.people.map((p) => p.personId),
    }));
    sent++;
  }
  return sent;
}

export interface Digest {
  /** Each session of the date, with the volunteer's name. */
  people: { personId: string; name: string; session: ServiceSession }[];
  /** Places no one holds: per part of day, the needs' wanted minus the sessions not cancelled. */
  unfilled: number;
}

/** A centre's sessions on a date (`YYYY-MM-DD`), who stands where, and the places still empty. */
export async function centreDigest(d: ServiceDayDeps, centre: Centre, date: string): Promise<Digest> {
  const sessions = await d.store.sessions.list(
    {
      centreCodes: [centre.code],
      startsFrom: localInstant(date, 0, d.timeZone),
      startsBefore: localInstant(addDaysIso(date, 1), 0, d.timeZone),
    },
    1000,
  );
  const people = [];
  for (const s of sessions) {
    const person = await d.store.people.get(s.personId);
    people.push({ personId: s.personId, name: person ? fullName(person) : "—", session: s });
  }
  const needs = await d.store.needs.list({
    centreCodes: [centre.code],
    statuses: [...ACTIVE_NEED_STATUSES, "filled"],
    kind: "centre",
  });
  let unfilled = 0;
  const day = weekdayOf(date);
  for (const need of needs) {
    if (date < need.startDate || date > need.endDate) continue;
    for (const part of Object.keys(PART_HOURS) as (keyof typeof PART_HOURS)[]) {
      if (!need.slots.includes(`${day}.${part}`)) continue;
      const held = sessions.filter((s) => s.needId === need.id && s.part === part && s.status !== "cancelled").length;
      unfilled += Math.max(0, need.wanted - held);
    }
  }
  return { people, unfilled };
}

/** The digest in words: each session's volunteer and answer, the counts, and the empty places. */
export function digestText(t: TFunction, lang: Language, timeZone: string, centre: Centre, date: string, g: Digest) {
  const count = (pred: (s: ServiceSession) => boolean) => num(lang, g.people.filter((p) => pred(p.session)).length);
  const lines = g.people.map((p) =>
    t("service.digest_line", {
      when: sessionWhen(t, lang, timeZone, p.session),
      name: p.name,
      status: t(`service.status.${p.session.status}`),
    }),
  );
  return t("service.digest", {
    centre: centre.name,
    date: dayLabel(lang, timeZone, localInstant(date, 12, timeZone)),
    confirmed: count((s) => s.status === "confirmed" || s.status === "checked_in"),
    waiting: count((s) => s.status === "scheduled"),
    unconfirmed: count((s) => s.status === "unconfirmed"),
    cancelled: count((s) => s.status === "cancelled"),
    unfilled: num(lang, g.unfilled),
    lines: lines.length ? lines.join("\n") : t("service.digest_none"),
  });
}
