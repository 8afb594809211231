/**
 * Quiet hours for campaign messages (default 22:00–08:00 in Tehran). Urgent
 * broadcasts ignore them.
 */
export interface QuietHours {
  /** Hour (0–23) quiet starts. */
  from: number;
  /** Hour (0–23) quiet ends. */
  to: number;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { from: 22, to: 8 };

const hourFormatters = new Map<string, Intl.DateTimeFormat>();

export function localHour(date: Date, timeZone: string): number {
  let f = hourFormatters.get(timeZone);
  if (!f)
    hourFormatters.set(
      timeZone,
      (f = new Intl.DateTimeFormat("en-US", { hour: "numeric", hourCycle: "h23", timeZone })),
    );
  return Number(f.format(date));
}

export function isQuiet(date: Date, timeZone: string, quiet: QuietHours = DEFAULT_QUIET_HOURS): boolean {
  const h = localHour(date, timeZone);
  return quiet.from <= quiet.to ? h >= quiet.from && h < quiet.to : h >= quiet.from || h < quiet.to;
}

/** A time zone's offset from UTC at an instant, in minutes (Tehran: 210). */
export function utcOffsetMinutes(date: Date, timeZone: string): number {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, Number(x.value)]));
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
  return Math.round((asUtc - Math.floor(date.getTime() / 60_000) * 60_000) / 60_000);
}
