import type { Database, Statement } from "better-sqlite3";
import { neighbourhoodKey, slotMask } from "../../domain/matching.js";
import { CandidateCache } from "./candidate-cache.js";

/**
 * The candidate index (`match_index`): derived from people, one row per
 * role (`r:<id>`) or skill (`s:<id>`) of every matchable volunteer, each
 * carrying what scoring reads (place, slots, skills, fairness counters). It
 * is kept in step inside the same transaction as every change to a person,
 * and rebuilt whole after the migration that created it.
 */

const ELIGIBLE = `p.registered_at IS NOT NULL AND p.erased_at IS NULL AND p.notify_matches = 1
  AND p.province IS NOT NULL AND p.county IS NOT NULL AND p.slot_mask <> 0
  AND EXISTS (SELECT 1 FROM identities i WHERE i.person_id = p.id AND i.reachable = 1)`;

const SKILLS_OF = `(SELECT ',' || group_concat(skill, ',') || ',' FROM person_skills WHERE person_id = p.id)`;

const select = (prefix: "r" | "s", table: string, column: string, onePerson: boolean) => `
  SELECT '${prefix}:' || t.${column}, p.province, p.county, p.id, hamdel_hood_key(p.neighbourhood), p.lat, p.lon,
         p.slot_mask, COALESCE(${SKILLS_OF}, ''), s.last_offer_ms, COALESCE(s.recent_offers, 0),
         COALESCE(s.decline_streak, 0)
  FROM people p JOIN ${table} t ON t.person_id = p.id LEFT JOIN match_stats s ON s.person_id = p.id
  WHERE ${ELIGIBLE}${onePerson ? " AND p.id = @id" : ""}`;

const insert = (onePerson: boolean) => `
  INSERT OR REPLACE INTO match_index (tag, province, county, person_id, hood_key, lat, lon, slot_mask, skills,
    last_offer_ms, recent_offers, decline_streak)
  ${select("r", "person_roles", "role", onePerson)}
  UNION ALL ${select("s", "person_skills", "skill", onePerson)}`;

/** Registers the SQL function the index uses; call on every connection before preparing statements. */
export function registerMatchFunctions(db: Database): void {
  db.function("hamdel_hood_key", { deterministic: true }, (s: unknown) =>
    typeof s === "string" ? neighbourhoodKey(s) : null,
  );
}

export class MatchIndex {
  readonly #remove: Statement;
  readonly #insertOne: Statement;
  readonly #keys: Statement;
  /** The in-memory copy searches read; told about every change made here. */
  readonly cache: CandidateCache;

  constructor(private readonly db: Database) {
    registerMatchFunctions(db);
    this.#remove = db.prepare("DELETE FROM match_index WHERE person_id = ?");
    this.#insertOne = db.prepare(insert(true));
    this.#keys = db.prepare("SELECT tag, province FROM match_index WHERE person_id = ?");
    this.cache = new CandidateCache(db);
  }

  /** Brings one person's rows in step with their profile (call inside the change's transaction). */
  reindex(personId: string): void {
    const before = this.#keys.all(personId) as { tag: string; province: string }[];
    this.#remove.run(personId);
    this.#insertOne.run({ id: personId });
    this.cache.touched(personId, before);
  }

  /** Recomputes every person's slot mask from their availability, then rebuilds the whole index. */
  rebuild(): void {
    this.db.transaction(() => {
      const update = this.db.prepare("UPDATE people SET slot_mask = ? WHERE id = ?");
      const rows = this.db
        .prepare("SELECT id, availability FROM people WHERE availability IS NOT NULL")
        .iterate() as IterableIterator<{ id: string; availability: string }>;
      const masks: [number, string][] = [];
      for (const r of rows) masks.push([slotMask((JSON.parse(r.availability) as { slots: string[] }).slots), r.id]);
      for (const [mask, id] of masks) update.run(mask, id);
      this.db.exec("DELETE FROM match_index");
      this.db.exec(insert(false));
    })();
    this.cache.clear();
  }
}
