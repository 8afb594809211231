import { visibleCharacters } from "./normalize.js";
import { addDaysIso } from "./jalali.js";
import { MAX_MINUTES_PER_SERVICE } from "./ledger.js";
import { utcOffsetMinutes } from "./quiet-hours.js";
import { WEEKDAYS, type DayPart, type Slot, type Weekday } from "./taxonomy.js";

/**
 * The day of service. An approved offer for a centre's need becomes concrete
 * sessions: one per date and part of day its weekly slots name, between the
 * need's dates. Each session moves through:
 *
 *   scheduled ──«می‌آیم»──▶ confirmed ──check-in──▶ checked_in ──check-out──▶ checked_out ──approve──▶ crediting ──▶ credited
 *     │  │                     │                        └──no check-out by the window's end + grace──▶ no_checkout (flagged)
 *     │  └──no answer to the 2-hour reminder by the start──▶ unconfirmed ──check-in──▶ checked_in
 *     └──«نمی‌توانم بیایم» (any not yet started)──▶ cancelled;   no check-in by the window's end ──▶ absent
 *
 * A flagged session gets minutes only from its coordinator (a correction with
 * a reason), never a guess. `crediting` is the claim taken before the ledger
 * entry is posted, so that a crash in between is finished by the next tick.
 */
export const SESSION_STATUSES = [
  "scheduled",
  "confirmed",
  "unconfirmed",
  "cancelled",
  "checked_in",
  "checked_out",
  "no_checkout",
  "absent",
  "crediting",
  "credited",
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Sessions still ahead of the volunteer: they can confirm, cancel or check in. */
export const UPCOMING_STATUSES: readonly SessionStatus[] = ["scheduled", "confirmed", "unconfirmed"];
/** Sessions that ended with someone there, whose hours await the centre. */
export const AWAITING_APPROVAL: readonly SessionStatus[] = ["checked_out", "no_checkout"];

/** Sessions someone came to: their hours are (or will be) credited through attendance. */
export const ATTENDED_STATUSES: readonly SessionStatus[] = [
  "checked_in",
  "checked_out",
  "no_checkout",
  "crediting",
  "credited",
];

/** Each part of day's hours at a centre, local time: start inclusive, end exclusive. */
export const PART_HOURS: Readonly<Record<DayPart, { from: number; to: number }>> = {
  morning: { from: 8, to: 12 },
  afternoon: { from: 14, to: 18 },
  evening: { from: 18, to: 21 },
};

/** How early before its start a session takes a check-in, and how long after its end a check-out. */
export const CHECK_IN_EARLY_MS = 60 * 60_000;
export const CHECK_OUT_GRACE_MS = 3 * 3_600_000;
/** The reminders' leads before a session's start. */
export const REMINDER_LEADS = { d2: 48 * 3_600_000, h2: 2 * 3_600_000 } as const;
export type ReminderKind = keyof typeof REMINDER_LEADS;
/** A need's sessions per volunteer are made up to this many (a year of three slots a week is 156). */
export const MAX_SESSIONS_PER_OFFER = 200;

/** The instant a local wall-clock hour of a date begins in a time zone (Tehran has no daylight saving since 2022; any zone works). */
export function localInstant(date: string, hour: number, timeZone: string): Date {
  const naive = Date.parse(`${date}T${String(hour).padStart(2, "0")}:00:00Z`);
  // The offset at the naive instant, then again at the corrected one (right across a DST change).
  const first = naive - utcOffsetMinutes(new Date(naive), timeZone) * 60_000;
  return new Date(naive - utcOffsetMinutes(new Date(first), timeZone) * 60_000);
}

/** The weekday of a `YYYY-MM-DD` date, in the week the taxonomy uses (Saturday first). */
export function weekdayOf(date: string): Weekday {
  const js = new Date(`${date}T12:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  return WEEKDAYS[(js + 1) % 7]!;
}

export interface Occurrence {
  date: string;
  part: DayPart;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The concrete occurrences of weekly slots between two dates (inclusive)
 * that start after `after`, in order, at most `limit`.
 */
export function occurrences(
  slots: readonly Slot[],
  startDate: string,
  endDate: string,
  after: Date,
  timeZone: string,
  limit = MAX_SESSIONS_PER_OFFER,
): Occurrence[] {
  const out: Occurrence[] = [];
  const parts = (day: Weekday) =>
    (Object.keys(PART_HOURS) as DayPart[]).filter((p) => slots.includes(`${day}.${p}` as Slot));
  for (let date = startDate; date <= endDate && out.length < limit; date = addDaysIso(date, 1)) {
    for (const part of parts(weekdayOf(date))) {
      const startsAt = localInstant(date, PART_HOURS[part].from, timeZone);
      if (startsAt <= after) continue;
      out.push({ date, part, startsAt, endsAt: localInstant(date, PART_HOURS[part].to, timeZone) });
      if (out.length >= limit) break;
    }
  }
  return out;
}

/** Whether a check-in at `now` falls in a session's window: from an hour before its start until its end. */
export const inCheckInWindow = (s: { startsAt: Date; endsAt: Date }, now: Date) =>
  now.getTime() >= s.startsAt.getTime() - CHECK_IN_EARLY_MS && now < s.endsAt;

/** Minutes after a session's scheduled end still counted by a check-out (ATTENDANCE_GRACE_MINUTES by default). */
export const DEFAULT_ATTENDANCE_GRACE_MINUTES = 10;

/**
 * The minutes a check-in and check-out propose: the time between them,
 * within the session's schedule — from its start at the earliest, to its
 * end (and `graceMinutes` after it) at the latest — to the nearest five
 * minutes, at most a service's maximum. Anything beyond is a coordinator's
 * correction, with a reason.
 */
export function proposedMinutes(
  s: { startsAt: Date; endsAt: Date },
  checkInAt: Date,
  checkOutAt: Date,
  graceMinutes = DEFAULT_ATTENDANCE_GRACE_MINUTES,
): number {
  const from = Math.max(checkInAt.getTime(), s.startsAt.getTime());
  const to = Math.min(checkOutAt.getTime(), s.endsAt.getTime() + graceMinutes * 60_000);
  const minutes = Math.max(0, to - from) / 60_000;
  return Math.min(MAX_MINUTES_PER_SERVICE, Math.round(minutes / 5) * 5);
}

/** Minutes a coordinator may set for one session (a correction): whole, from zero to a service's maximum. */
export const validSessionMinutes = (m: number) => Number.isInteger(m) && m >= 0 && m <= MAX_MINUTES_PER_SERVICE;

/** The idempotency key of one approval's ledger entry: the sessions it credits, whatever their order. */
export function attendanceKey(sessionIds: readonly string[], hash: (s: string) => string): string {
  return `attendance:${hash([...sessionIds].sort().join(","))}`;
}

/** Letters or digits a correction's reason needs (not ".", not invisible characters). */
export const MIN_REASON_CHARACTERS = 4;

/** A reason that says something: at least {@link MIN_REASON_CHARACTERS} letters or digits. */
export const meaningfulReason = (reason: string) => visibleCharacters(reason) >= MIN_REASON_CHARACTERS;
