import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { neighbourhoodKey, scoreCandidate, slotMask, type CandidateQuery } from "../../src/domain/matching.js";
import { registerMatchFunctions } from "../../src/store/sqlite/match-index.js";
import { migrate } from "../../src/store/sqlite/migrations.js";
import { scoreSql } from "../../src/store/sqlite/score-sql.js";

interface IndexRow {
  person_id: string;
  county: string;
  hood_key: string | null;
  lat: number | null;
  lon: number | null;
  slot_mask: number;
  skills: string;
  last_offer_ms: number | null;
  recent_offers: number;
  decline_streak: number;
  score: number;
}

/** The SQL ranking must give exactly the domain scorer's numbers, or the order would drift between adapters. */
describe("SQLite score expression", () => {
  const DAY = 86_400_000;
  const NOW = Date.UTC(2026, 10, 25);
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const SKILLS = ["cooking", "driving", "elderly_care", "tutoring", "first_aid"];

  const queries: CandidateQuery[] = [
    {
      province: "golestan",
      county: "gorgan",
      neighbourhood: "Sar Cheshmeh",
      location: { lat: 36.84, lon: 54.44 },
      reach: "province",
      role: "elderly_companion",
      skills: ["elderly_care", "cooking"],
      slotMask: slotMask(["sat.morning", "sun.evening", "fri.afternoon"]),
      exclude: new Set(),
    },
    {
      province: "golestan",
      county: "gonbad",
      neighbourhood: null,
      location: null,
      reach: "province",
      role: null,
      skills: ["driving"],
      slotMask: slotMask(["mon.morning"]),
      exclude: new Set(),
    },
    {
      province: "golestan",
      county: "gorgan",
      neighbourhood: "Valiabad",
      location: null,
      reach: "county",
      role: "tutor",
      skills: [],
      slotMask: (1 << 21) - 1,
      exclude: new Set(),
    },
  ];

  it("matches scoreCandidate on 3,000 random rows for several needs", () => {
    const db = new Database(":memory:");
    migrate(db);
    registerMatchFunctions(db);
    const insert = db.prepare(
      `INSERT INTO match_index (tag, province, county, person_id, hood_key, lat, lon, slot_mask, skills, last_offer_ms, recent_offers, decline_streak)
       VALUES ('r:x', 'golestan', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < 1000; i++) {
      const located = rnd() < 0.6;
      const skills = SKILLS.filter(() => rnd() < 0.4);
      insert.run(
        pick(["gorgan", "gonbad", "aliabad"]),
        `p${i}`,
        rnd() < 0.7 ? neighbourhoodKey(pick(["Sar Cheshmeh", "sar  cheshmeh", "Valiabad", "Naharkhoran"])) : null,
        located ? 36.5 + rnd() : null,
        located ? 54 + rnd() * 1.5 : null,
        Math.floor(rnd() * 2 ** 21),
        skills.length ? `,${skills.join(",")},` : "",
        rnd() < 0.5 ? NOW - Math.floor(rnd() * 40 * DAY) : null,
        Math.floor(rnd() * 8),
        Math.floor(rnd() * 7),
      );
    }
    let compared = 0;
    for (const q of queries) {
      const { sql, params } = scoreSql(q, NOW);
      const rows = db.prepare(`SELECT *, ${sql} AS score FROM match_index`).all(params) as IndexRow[];
      for (const r of rows) {
        const skills = String(r.skills).split(",");
        const js = scoreCandidate(
          {
            personId: r.person_id,
            county: r.county,
            neighbourhood: r.hood_key,
            lat: r.lat,
            lon: r.lon,
            slotMask: r.slot_mask,
            skillsMatched: q.skills.filter((s) => skills.includes(s)).length,
            hasRole: q.role !== null,
            lastOfferMs: r.last_offer_ms,
            recentOffers: r.recent_offers,
            declineStreak: r.decline_streak,
          },
          q,
          NOW,
        );
        expect({ id: r.person_id, score: r.score }).toEqual({ id: r.person_id, score: js.score });
        compared++;
      }
    }
    expect(compared).toBe(3000);
    db.close();
  });
});
