import { formatJalaliDate } from "../../domain/jalali.js";
import { PART_HOURS, type ReminderKind } from "../../domain/sessions.js";
import { digits, num, phoneText } from "../../format.js";
import type { TFunction } from "../../i18n.js";
import type { Centre, Language, ServiceSession } from "../../store/port/index.js";
import { sessionData } from "../../domain/callback-data.js";

/** The day of service in words: a session's line, its buttons, the reminders. Pure. */

type Buttons = { text: string; data: string }[][];

/** A day as people say it: weekday, day, month and year, in the Persian calendar. */
export function dayLabel(lang: Language, timeZone: string, instant: Date) {
  const weekday = new Intl.DateTimeFormat(lang === "fa" ? "fa-IR" : "en", { weekday: "long", timeZone }).format(
    instant,
  );
  return `${weekday} ${formatJalaliDate(instant, lang, timeZone)}`;
}

/** A session's time as people say it: the day, then the part of day and its hours. */
export function sessionWhen(
  t: TFunction,
  lang: Language,
  timeZone: string,
  s: Pick<ServiceSession, "startsAt" | "part">,
) {
  const hours = PART_HOURS[s.part];
  return t("service.when", {
    day: dayLabel(lang, timeZone, s.startsAt),
    part: t(`taxonomy.day_part.${s.part}`),
    from: num(lang, hours.from),
    to: num(lang, hours.to),
  });
}

/** One session for a list: when, where, and where it stands. */
export function sessionLine(t: TFunction, lang: Language, timeZone: string, s: ServiceSession, centre: Centre) {
  return t("service.line", {
    when: sessionWhen(t, lang, timeZone, s),
    centre: centre.name,
    status: t(`service.status.${s.status}`),
  });
}

/** The volunteer's buttons under a session: confirm (until confirmed) and cancel; check out once checked in. */
export function sessionButtons(t: TFunction, s: Pick<ServiceSession, "id" | "status">): Buttons {
  if (s.status === "checked_in")
    return [[{ text: t("service.check_out_button"), data: sessionData.pack("out", s.id) }]];
  const row = [{ text: t("service.cancel_button"), data: sessionData.pack("cancel", s.id) }];
  return s.status === "confirmed"
    ? [row]
    : [[{ text: t("service.confirm_button"), data: sessionData.pack("confirm", s.id) }, ...row]];
}

/**
 * The time left before a session, as the reminder says it: two hours, an hour and 20 minutes, 40 minutes (to five
 * minutes). A reminder sent late (a tick missed) says what is really left, not "two hours".
 */
export function timeLeft(t: TFunction, lang: Language, ms: number): string {
  const minutes = Math.max(5, Math.round(ms / 300_000) * 5);
  if (minutes >= 105) return t("service.left_two_hours");
  if (minutes >= 60)
    return minutes === 60 ? t("service.left_hour") : t("service.left_hour_minutes", { n: num(lang, minutes - 60) });
  return t("service.left_minutes", { n: num(lang, minutes) });
}

/** A reminder, 48 or 2 hours before: when, where (the address, to find it), and what to do on arrival. */
export function reminderText(
  t: TFunction,
  lang: Language,
  timeZone: string,
  kind: ReminderKind,
  s: ServiceSession,
  centre: Centre,
  now: Date,
) {
  return t(`service.reminder_${kind}`, {
    left: timeLeft(t, lang, s.startsAt.getTime() - now.getTime()),
    when: sessionWhen(t, lang, timeZone, s),
    centre: centre.name,
    address: digits(lang, centre.address),
    phone: phoneText(centre.phone),
  });
}
