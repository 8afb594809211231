import { matchingCounty } from "../domain/places/index.js";
import { resolveCounty } from "../domain/places/resolve.js";
import { isCountyOf, PROVINCES } from "../domain/taxonomy.js";
import type { Logger } from "../logger.js";
import type { PageKey, Store } from "../store/port/index.js";
import { audit } from "./access.js";

/** One registered volunteer whose county is typed text or a legacy id (`kish`), not one of the dataset's counties. */
export interface TypedCounty {
  personId: string;
  volunteerCode: string | null;
  province: string;
  typed: string;
  /** The county it certainly is (a name or an alias of one county of the province), or null (left for a coordinator). */
  county: string | null;
}

const PAGE = 500;

/**
 * The volunteers registered with a typed county (before the dataset listed
 * every county, or a name it still lacks): each resolved where the match is
 * certain (an exact name or alias within their province: never a near miss,
 * which only the person can confirm), the rest reported. With `apply`, the
 * certain ones are stored as the county's id, and the run is audited.
 */
export async function resolveTypedCounties(
  d: { store: Store; logger: Logger },
  actor: string,
  apply: boolean,
  /** Only these provinces (a provincial admin's scope); null: the whole country. */
  provinces: readonly string[] | null = null,
): Promise<TypedCounty[]> {
  const found: TypedCounty[] = [];
  for (const { id: province } of PROVINCES.filter((p) => provinces === null || provinces.includes(p.id))) {
    let after: PageKey | null = null;
    for (;;) {
      const people = await d.store.people.listRegistered({ provinces: [province] }, after, PAGE);
      for (const p of people)
        if (p.county && (!isCountyOf(province, p.county) || matchingCounty(province, p.county) !== p.county)) {
          // A legacy id (`kish`, before the dataset) is certainly the county it lies in; typed text, where it matches.
          const legacy = matchingCounty(province, p.county);
          const m = resolveCounty(province, p.county);
          found.push({
            personId: p.id,
            volunteerCode: p.volunteerCode ?? null,
            province,
            typed: p.county,
            county: legacy !== p.county ? legacy : m.kind === "exact" ? m.county : null,
          });
        }
      const last = people.at(-1);
      if (people.length < PAGE || !last?.registeredAt) break;
      after = { registeredAt: last.registeredAt, id: last.id };
    }
  }
  // In a stable order: province, then volunteer code (people registered in the same instant have no order of their own).
  found.sort((a, b) => (a.province === b.province ? (a.volunteerCode ?? "").localeCompare(b.volunteerCode ?? "") : 0));
  if (apply) {
    const certain = found.filter((f) => f.county);
    for (const f of certain) await d.store.people.update(f.personId, { county: f.county! });
    await audit(d.store, d.logger, {
      actor,
      action: "places.resolve",
      scope: "*",
      target: null,
      outcome: "ok",
      details: { resolved: certain.length, left: found.length - certain.length },
    });
  }
  return found;
}
