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
