/**
 * The value types a person is made of, which the domain, the texts and the
 * store all use. They live here, not in the store port, so that the domain
 * never imports the store.
 */

export type Language = "fa" | "en";
/** The languages Hamdel speaks, each with a locale file (`locales/<language>.json`). */
export const LANGUAGES = ["fa", "en"] as const satisfies readonly Language[];
export const isLanguage = (v: unknown): v is Language => LANGUAGES.includes(v as Language);
export type Gender = "female" | "male";

export interface GeoPoint {
  lat: number;
  lon: number;
}
