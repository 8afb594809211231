/** Jalali (Solar Hijri) dates through `Intl`'s Persian calendar: no hand-written conversion. */

const yearFormatters = new Map<string, Intl.DateTimeFormat>();

export function jalaliYear(date: Date, timeZone: string): number {
  let f = yearFormatters.get(timeZone);
  if (!f)
    yearFormatters.set(
      timeZone,
      (f = new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", { year: "numeric", timeZone })),
    );
  const year = f.formatToParts(date).find((p) => p.type === "year")?.value;
  return Number(year);
}

/** A full Jalali date for people, e.g. "4 Azar 1405" (in Persian digits and month names for fa). */
export function formatJalaliDate(date: Date, language: "fa" | "en", timeZone: string): string {
  return new Intl.DateTimeFormat(language === "fa" ? "fa-IR-u-ca-persian" : "en-u-ca-persian", {
    year: "numeric",
    month: "long",
    day: "numeric",
    timeZone,
  }).format(date);
}

/** A Jalali date and the time of day, in a time zone (Tehran by default): «۱۴۰۵/۰۹/۱۴ ۰۴:۳۲», what a coordinator reads in logs. */
export function formatJalaliDateTime(date: Date, language: "fa" | "en", timeZone: string): string {
  const locale = language === "fa" ? "fa-IR-u-ca-persian" : "en-u-ca-persian";
  const day = new Intl.DateTimeFormat(locale, { year: "numeric", month: "2-digit", day: "2-digit", timeZone });
  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone });
  return `${day.format(date)} ${time.format(date)}`;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

/** The Jalali year, month and day of an instant in a time zone. */
export function jalaliParts(date: Date, timeZone: string): { year: number; month: number; day: number } {
  let f = partsFormatters.get(timeZone);
  if (!f)
    partsFormatters.set(
      timeZone,
      (f = new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", {
        year: "numeric",
        month: "numeric",
        day: "numeric",
        timeZone,
      })),
    );
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day) };
}

const isoFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a time zone, as `YYYY-MM-DD` (Gregorian, for storage and comparison). */
export function isoDateIn(date: Date, timeZone: string): string {
  let f = isoFormatters.get(timeZone);
  if (!f)
    isoFormatters.set(
      timeZone,
      (f = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone })),
    );
  return f.format(date);
}

/** `YYYY-MM-DD` plus whole days. */
export const addDaysIso = (iso: string, days: number): string =>
  new Date(Date.parse(`${iso}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A stored `YYYY-MM-DD` shown as a Jalali date. */
export const formatIsoDate = (iso: string, language: "fa" | "en", timeZone: string): string =>
  formatJalaliDate(new Date(`${iso}T12:00:00Z`), language, timeZone);
