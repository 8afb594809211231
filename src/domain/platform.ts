/**
 * The messengers Hamdel runs on. Adding one with a Telegram-like Bot API is a
 * name here and a row in `src/platforms/capabilities.ts` (what differs between
 * them, with where each fact comes from); its settings (`<NAME>_BOT_TOKEN`,
 * `<NAME>_API_ROOT`, `<NAME>_SEND_RATE`, `<NAME>_BROADCAST_RATE`) follow from
 * the name, and `platform_name.<name>` goes in the locales.
 */
export const PLATFORMS = ["telegram", "bale"] as const;
export type Platform = (typeof PLATFORMS)[number];

export const isPlatform = (s: string): s is Platform => (PLATFORMS as readonly string[]).includes(s);

/** A platform's settings in the environment: `TELEGRAM_BOT_TOKEN`, `BALE_API_ROOT`, … */
export const envKey = <S extends string>(platform: Platform, setting: S) =>
  `${platform.toUpperCase() as Uppercase<Platform>}_${setting}` as const;

/** Every platform's name of one setting, for messages: "TELEGRAM_BOT_TOKEN or BALE_BOT_TOKEN". */
export const envKeys = (setting: string, joiner = " or ") => PLATFORMS.map((p) => envKey(p, setting)).join(joiner);

/** An account as written in ADMIN_IDS and the audit log, `platform:userId` (digits), or `null`. */
export function parseAccount(s: string): { platform: Platform; userId: string } | null {
  const m = /^([a-z]+):(\d{1,20})$/.exec(s);
  return m && isPlatform(m[1]!) ? { platform: m[1], userId: m[2]! } : null;
}
