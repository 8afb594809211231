import type { Database, Statement } from "better-sqlite3";
import { slotMask } from "../../domain/matching.js";

/**
 * The candidate index (`match_index`): derived from people, one row per
 * role (`r:<id>`) or skill (`s:<id>`) of every matchable volunteer. It is
 * kept in step inside the same transaction as every change to a person, and
 * rebuilt whole after the migration that created it.
 */

const ELIGIBLE = `p.registered_at IS NOT NULL AND p.erased_at IS NULL AND p.notify_matches = 1
  AND p.province IS NOT NULL AND p.county IS NOT NULL AND p.slot_mask <> 0
  AND EXISTS (SELECT 1 FROM identities i WHERE i.person_id = p.id AND i.reachable = 1)`;

const select = (prefix: "r" | "s", table: string, column: string, onePerson: boolean) => `
  SELECT '${prefix}:' || t.${column}, p.province, p.county, p.id, p.neighbourhood, p.lat, p.lon, p.slot_mask,
         s.last_offer_ms, COALESCE(s.recent_offers, 0), COALESCE(s.decline_streak, 0)
  FROM people p JOIN ${table} t ON t.person_id = p.id LEFT JOIN match_stats s ON s.person_id = p.id
  WHERE ${ELIGIBLE}${onePerson ? " AND p.id = @id" : ""}`;

const insert = (onePerson: boolean) => `
  INSERT OR REPLACE INTO match_index (tag, province, county, person_id, neighbourhood, lat, lon, slot_mask,
    last_offer_ms, recent_offers, decline_streak)
  ${select("r", "person_roles", "role", onePerson)}
  UNION ALL ${select("s", "person_skills", "skill", onePerson)}`;

export class MatchIndex {
  readonly #remove: Statement;
  readonly #insertOne: Statement;

  constructor(private readonly db: Database) {
    this.#remove = db.prepare("DELETE FROM match_index WHERE person_id = ?");
    this.#insertOne = db.prepare(insert(true));
  }

  /** Brings one person's rows in step with their profile (call inside the change's transaction). */
  reindex(personId: string): void {
    this.#remove.run(personId);
    this.#insertOne.run({ id: personId });
  }

  /** Recomputes every person's slot mask from their availability, then rebuilds the whole index. */
  rebuild(): void {
    this.db.transaction(() => {
      const update = this.db.prepare("UPDATE people SET slot_mask = ? WHERE id = ?");
      const rows = this.db.prepare("SELECT id, availability FROM people WHERE availability IS NOT NULL").all() as {
        id: string;
        availability: string;
      }[];
      for (const r of rows) update.run(slotMask((JSON.parse(r.availability) as { slots: string[] }).slots), r.id);
      this.db.exec("DELETE FROM match_index");
      this.db.exec(insert(false));
    })();
  }
}
