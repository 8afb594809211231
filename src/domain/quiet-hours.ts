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
