import divisions from "./iran-divisions.json" with { type: "json" };

/**
 * Iran's 31 provinces and 479 counties, from `iran-divisions.json`
 * (OpenStreetMap, ODbL 1.0; where it comes from and what is doubtful:
 * `DATA.md` beside it). The source of truth for places: ids are stored, and
 * the 211 the project used before the dataset keep their spelling.
 */

export interface CountyFacts {
  id: string;
  /** Its Persian and English names (the locales may keep a more usual label: «تالش» for «طوالش»). */
  fa: string;
  en: string;
  /** Other names people write: a seat, a short form, an old name. */
  aliases: readonly string[];
  aliases_en: readonly string[];
  /** [lat, lon], or null where the county has no boundary of its own. */
  centroid: readonly [number, number] | null;
}

export interface ProvinceFacts {
  id: string;
  fa: string;
  en: string;
  counties: readonly CountyFacts[];
}

export const DIVISIONS: readonly ProvinceFacts[] = (divisions as { provinces: ProvinceFacts[] }).provinces;

/** The line the data's licence (ODbL) asks for wherever it is used. */
export const PLACES_ATTRIBUTION =
  "نقشه و مرزها: © مشارکت‌کنندگان OpenStreetMap — Map data © OpenStreetMap contributors, ODbL 1.0, https://www.openstreetmap.org/copyright";

/**
 * Ids stored before the dataset that name no county of it: kept readable
 * (their label stays in the locales), never offered, and matched as the
 * county they lie in. Kish is a district of Bandar Lengeh, not a county.
 */
export const LEGACY_COUNTIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  hormozgan: { kish: "bandar_lengeh" },
};

const byProvince = new Map(DIVISIONS.map((p) => [p.id, p]));

/** A province's counties, as the dataset lists them. */
export const countyFactsOf = (province: string): readonly CountyFacts[] => byProvince.get(province)?.counties ?? [];

/** The county a stored id means for matching: itself, or the county a legacy id lies in. */
export const matchingCounty = (province: string, county: string): string =>
  LEGACY_COUNTIES[province]?.[county] ?? county;
