/**
 * The value types a person is made of, which the domain, the texts and the
 * store all use. They live here, not in the store port, so that the domain
 * never imports the store.
 */

export type Language = "fa" | "en";
export type Gender = "female" | "male";

export interface GeoPoint {
  lat: number;
  lon: number;
}
