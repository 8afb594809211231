/**
 * Ramadan dates from the Umm al-Qura calendar through `Intl`
 * (`islamic-umalqura`). Iran's start can differ by a day or two, so the
 * campaign stores an adjustment in days.
 */
const hijri = new Intl.DateTimeFormat("en-u-ca-islamic-umalqura-nu-latn", {
  year: "numeric",
  month: "numeric",
  day: "numeric",
  timeZone: "UTC",
});

function hijriParts(date: Date): { year: number; month: number; day: number } {
  const p = Object.fromEntries(hijri.formatToParts(date).map((x) => [x.type, x.value]));
  return { year: Number(p.year?.replace(/\D/g, "")), month: Number(p.month), day: Number(p.day) };
}

/** The Gregorian date (UTC midnight) of 1 Ramadan of the given Hijri year, shifted by `adjustDays`. */
export function ramadanStart(hijriYear: number, adjustDays = 0): Date {
  // Rough position (mean Hijri year, 8 months in), then find the exact day nearby.
  const estimate = Date.UTC(622, 6, 16) + Math.round((hijriYear - 1) * 354.367 + 236) * 86_400_000;
  for (let i = -20; i < 20; i++) {
    const day = new Date(estimate + i * 86_400_000);
    const h = hijriParts(day);
    if (h.year === hijriYear && h.month === 9 && h.day === 1) return new Date(day.getTime() + adjustDays * 86_400_000);
  }
  throw new Error(`could not find 1 Ramadan ${hijriYear}`);
}

/** Which day of the 30 a date is (1–30), or `null` outside the campaign. */
export function ramadanDay(date: Date, start: Date, days = 30): number | null {
  const n =
    Math.floor(
      (Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) - start.getTime()) / 86_400_000,
    ) + 1;
  return n >= 1 && n <= days ? n : null;
}

/** The next 1 Ramadan after `now` (this year's if it has not come, else next year's), by the Umm al-Qura calendar. */
export function nextRamadanStart(now: Date): Date {
  const { year } = hijriParts(now);
  const thisYear = ramadanStart(year);
  return thisYear.getTime() > now.getTime() ? thisYear : ramadanStart(year + 1);
}
