import { fail, ok, type Result } from "./result.js";
import { normalizeDigits } from "./normalize.js";
import { utcOffsetMinutes } from "./quiet-hours.js";

/**
 * Parses a Jalali date and time such as `1405-12-01 20:00` in a time zone
 * into an instant. The calendar arithmetic is Intl's: we search the
 * Gregorian day whose Persian-calendar rendering matches.
 */
const partsFormatter = (timeZone: string) =>
  new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", { year: "numeric", month: "numeric", day: "numeric", timeZone });

function jalaliParts(date: Date, f: Intl.DateTimeFormat): [number, number, number] {
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  return [Number(p.year), Number(p.month), Number(p.day)];
}

export type JalaliParseError = "jalali.format" | "jalali.invalid";

export function parseJalaliDateTime(input: string, timeZone: string): Result<Date, JalaliParseError> {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(normalizeDigits(input).trim());
  if (!m) return fail("jalali.format");
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return fail("jalali.invalid");
  const f = partsFormatter("UTC");
  // Jalali year Y starts in March of Gregorian year Y + 621; search that window by day.
  const start = Date.UTC(y + 621, 2, 1);
  for (let i = 0; i < 400; i++) {
    const day = new Date(start + i * 86_400_000 + 12 * 3_600_000);
    const [jy, jm, jd] = jalaliParts(day, f);
    if (jy === y && jm === mo && jd === d) {
      const naive = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), h, mi);
      const offset = utcOffsetMinutes(new Date(naive), timeZone);
      return ok(new Date(naive - offset * 60_000));
    }
    if (jy > y) break;
  }
  return fail("jalali.invalid");
}

/** Words for a day relative to today, as people type them. */
const RELATIVE_DAYS: Record<string, number> = { امروز: 0, فردا: 1, پسفردا: 2 };

/**
 * A time as a coordinator types it: a Jalali date and time (`1405-12-01 20:00`), or a day and an hour in words —
 * «فردا ساعت ۱۰», «امروز ۱۸:۳۰», «پس‌فردا ساعت ۸ شب», «ساعت ۹» (today) — in the time zone, from `now`.
 * «عصر» and «شب» after an hour before 12 mean the afternoon and the night.
 */
export function parseWhen(input: string, timeZone: string, now: Date): Result<Date, JalaliParseError> {
  const jalali = parseJalaliDateTime(input, timeZone);
  if (jalali.ok) return jalali;
  const text = normalizeDigits(input)
    .replace(/\u200c/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const m =
    /^(?:(امروز|فردا|پسفردا|پس فردا)\s*)?(?:ساعت\s*)?(\d{1,2})(?::(\d{2}))?\s*(صبح|ظهر|عصر|بعدازظهر|بعد از ظهر|شب)?$/.exec(
      text,
    );
  if (!m || (!m[1] && !/ساعت/.test(text))) return fail("jalali.format");
  const days = RELATIVE_DAYS[(m[1] ?? "امروز").replace(" ", "")] ?? 0;
  let hour = Number(m[2]);
  const minute = Number(m[3] ?? 0);
  const part = m[4];
  if (part && part !== "صبح" && hour < 12) hour += 12;
  if (hour > 23 || minute > 59) return fail("jalali.invalid");
  // The day in the zone, then that hour on it (the zone's offset that day).
  const [y, mo, d] = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(now)
    .split("-")
    .map(Number) as [number, number, number];
  const naive = Date.UTC(y, mo - 1, d + days, hour, minute);
  return ok(new Date(naive - utcOffsetMinutes(new Date(naive), timeZone) * 60_000));
}
