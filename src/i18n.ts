import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import i18next, { type TFunction } from "i18next";
import { LANGUAGES, type Language } from "./domain/person.js";
import { DIVISIONS } from "./domain/places/index.js";

export type { TFunction };

export const DEFAULT_LANGUAGE: Language = "fa";

const localesDir = fileURLToPath(new URL("../locales/", import.meta.url));

export interface I18n {
  /** A translator fixed to one language. */
  t(language: Language): TFunction;
}

/** Loads `locales/*.json` into an i18next instance; Persian is the fallback. */
export async function createI18n(): Promise<I18n> {
  const instance = i18next.createInstance();
  const resources = Object.fromEntries(
    LANGUAGES.map((lng) => [
      lng,
      { translation: withPlaceNames(lng, JSON.parse(readFileSync(`${localesDir}${lng}.json`, "utf8"))) },
    ]),
  );
  await instance.init({
    resources,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map(LANGUAGES.map((lng) => [lng, memoized(instance.getFixedT(lng))]));
  return { t: (language) => fixed.get(language) ?? fixed.get(DEFAULT_LANGUAGE)! };
}

/**
 * Every county's name from the places dataset (`taxonomy.county.<province>.<id>`), under the
 * labels the locale already has: a locale keeps its own where it has one («تالش» for the
 * dataset's «طوالش»), and the dataset names the 267 counties it added.
 */
function withPlaceNames(lng: Language, translation: { taxonomy: { county: Record<string, Record<string, string>> } }) {
  const counties = (translation.taxonomy.county ??= {});
  for (const p of DIVISIONS) {
    const own = (counties[p.id] ??= {});
    for (const c of p.counties) own[c.id] ??= lng === "fa" ? c.fa : c.en;
  }
  return translation;
}

/**
 * Remembers what a translator returned for a key and its options. The texts
 * never change while the process runs, and a conversation re-runs its earlier
 * steps on every update (the conversations plugin replays them), building
 * each prompt and keyboard again: i18next's resolution was a sixth of the
 * handling time under load. Only plain string results with simple options are
 * kept, at most `max` of them.
 */
function memoized(t: TFunction, max = 50_000): TFunction {
  const cache = new Map<string, string>();
  const simple = (v: unknown) => v === undefined || ["string", "number", "boolean"].includes(typeof v);
  const call = t as unknown as (key: unknown, options?: unknown) => unknown;
  const remembered = (key: unknown, options?: unknown) => {
    if (typeof key !== "string" || (options !== undefined && (typeof options !== "object" || options === null)))
      return call(key, options);
    const opts = options as Record<string, unknown> | undefined;
    if (opts && !Object.values(opts).every(simple)) return call(key, options);
    const id = opts ? `${key}\u0000${JSON.stringify(opts)}` : key;
    const hit = cache.get(id);
    if (hit !== undefined) return hit;
    const value = call(key, options);
    if (typeof value === "string") {
      if (cache.size >= max) cache.clear();
      cache.set(id, value);
    }
    return value;
  };
  return Object.assign(remembered, t) as unknown as TFunction;
}
