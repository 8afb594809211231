/**
 * `npm run bench:match`: how long finding the top 20 candidates for a need
 * takes among BENCH_VOLUNTEERS (default 1,000,000) synthetic volunteers in
 * the embedded store, for province-wide and county-level needs.
 *
 * The volunteers are written straight into the store's tables (through the
 * real schema and migrations) and the candidate index is then built by the
 * store's own rebuild, as after a migration. Timed: `store.needs.candidates`
 * (the indexed search the bot uses): a first pass loads each (role or skill,
 * province) bucket of the in-memory index from SQLite (reported as "cold"),
 * then every query is timed again ("warm", the steady state), and once more
 * with fairness writes between queries (each search followed by offers to its
 * top 5, which the index must take in before the next search). Baseline, same
 * data, same run: a plain indexed scan — people joined to their roles through
 * the ordinary indexes, every matching row scored by the same domain function.
 *
 * Provinces are weighted roughly by population (Tehran the largest, the
 * worst case for a province-wide need); the four pilot provinces are reported
 * separately.
 */
import Database from "better-sqlite3";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { slotMask, topCandidates, type CandidateQuery, type CandidateRow } from "../../src/domain/matching.js";
import { PROVINCES, ROLES, SKILL_CATEGORIES, WEEKDAYS, DAY_PARTS } from "../../src/domain/taxonomy.js";
import { PiiCipher } from "../../src/security/pii.js";
import { MatchIndex } from "../../src/store/sqlite/match-index.js";
import { openSqliteStore, SQLITE_FILE } from "../../src/store/sqlite/index.js";

const N = Number(process.env.BENCH_VOLUNTEERS ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
/** BENCH_BASELINE=0 skips the slow baseline (for quick runs). */
const BASELINE = process.env.BENCH_BASELINE !== "0";
/** BENCH_DIR keeps the seeded database for another run (seeding 1M takes a minute and a half). */
const keep = process.env.BENCH_DIR;
const dir = keep ?? mkdtempSync(join(tmpdir(), "hamdel-match-"));
const cipher = new PiiCipher("bench-key-0123456789abcdef0123456789");
const print = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);

let seed = 42;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
const SKILLS = SKILL_CATEGORIES.flatMap((c) => c.skills);
const SLOTS = WEEKDAYS.flatMap((d) => DAY_PARTS.map((p) => `${d}.${p}`));
const PILOTS = ["kermanshah", "khuzestan", "khorasan_south", "golestan"];
/** Share of volunteers by province: Tehran ~16 %, big provinces ~5 %, the rest evenly. */
const WEIGHT: Record<string, number> = { tehran: 16, khorasan_razavi: 7, isfahan: 6, fars: 6, khuzestan: 6 };
const weights = PROVINCES.map((p) => WEIGHT[p.id] ?? 2.3);
const totalWeight = weights.reduce((a, b) => a + b, 0);
function province() {
  let r = rnd() * totalWeight;
  for (let i = 0; i < PROVINCES.length; i++) if ((r -= weights[i]!) <= 0) return PROVINCES[i]!;
  return PROVINCES.at(-1)!;
}
const CENTRE_OF: Record<string, { lat: number; lon: number }> = {
  tehran: { lat: 35.7, lon: 51.4 },
  kermanshah: { lat: 34.33, lon: 47.08 },
  khuzestan: { lat: 31.32, lon: 48.67 },
  khorasan_south: { lat: 32.87, lon: 59.22 },
  golestan: { lat: 36.84, lon: 54.44 },
};
const placeOf = (p: string) => CENTRE_OF[p] ?? { lat: 33 + rnd() * 4, lon: 48 + rnd() * 10 };

async function seedVolunteers() {
  if (keep && existsSync(join(dir, SQLITE_FILE))) {
    const db = new Database(join(dir, SQLITE_FILE), { readonly: true });
    const people = (db.prepare("SELECT COUNT(*) AS n FROM people").get() as { n: number }).n;
    const rows = (db.prepare("SELECT COUNT(*) AS n FROM match_index").get() as { n: number }).n;
    db.close();
    if (people === N) return { rebuildMs: 0, rows };
    rmSync(dir, { recursive: true, force: true });
  }
  openSqliteStore(dir, cipher).close(); // schema and migrations
  const db = new Database(join(dir, SQLITE_FILE));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const now = new Date().toISOString();
  const person = db.prepare(
    `INSERT INTO people (id, province, county, neighbourhood, lat, lon, availability, registered_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const identity = db.prepare(
    "INSERT INTO identities (platform, user_id, person_id, chat_id, reachable, linked_at) VALUES ('telegram', ?, ?, ?, ?, ?)",
  );
  const role = db.prepare("INSERT OR IGNORE INTO person_roles (person_id, role) VALUES (?, ?)");
  const skill = db.prepare("INSERT OR IGNORE INTO person_skills (person_id, skill) VALUES (?, ?)");
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `p${String(i).padStart(7, "0")}`;
      const prov = province();
      const home = placeOf(prov.id);
      const located = rnd() < 0.6;
      const slots = SLOTS.filter(() => rnd() < 0.22);
      if (slots.length === 0) slots.push(pick(SLOTS));
      person.run(
        id,
        prov.id,
        pick(prov.counties),
        `hood-${Math.floor(rnd() * 40)}`,
        located ? home.lat + (rnd() - 0.5) * 1.2 : null,
        located ? home.lon + (rnd() - 0.5) * 1.2 : null,
        JSON.stringify({ slots, hoursPerWeek: 4 }),
        now,
        now,
        now,
      );
      identity.run(String(1e9 + i), id, String(1e9 + i), rnd() < 0.97 ? 1 : 0, now);
      for (let r = 0; r < 1 + Math.floor(rnd() * 2); r++) role.run(id, pick(ROLES).id);
      for (let s = 0; s < 1 + Math.floor(rnd() * 4); s++) skill.run(id, pick(SKILLS));
    }
  });
  for (let i = 0; i < N; i += 50_000) batch(i, Math.min(N, i + 50_000));
  const t = performance.now();
  new MatchIndex(db).rebuild();
  const rebuildMs = performance.now() - t;
  const rows = (db.prepare("SELECT COUNT(*) AS n FROM match_index").get() as { n: number }).n;
  db.close();
  return { rebuildMs, rows };
}

function queryFor(prov: string, reach: "province" | "county"): CandidateQuery {
  const p = PROVINCES.find((x) => x.id === prov)!;
  const byRole = rnd() < 0.7;
  return {
    province: prov,
    county: pick(p.counties),
    neighbourhood: `hood-${Math.floor(rnd() * 40)}`,
    location: rnd() < 0.7 ? placeOf(prov) : null,
    reach,
    role: byRole ? pick(ROLES).id : null,
    skills: byRole ? (rnd() < 0.5 ? [pick(SKILLS)] : []) : [pick(SKILLS), pick(SKILLS)],
    slotMask: slotMask(SLOTS.filter(() => rnd() < 0.12).concat(pick(SLOTS))),
    exclude: new Set(),
  };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** The baseline: the ordinary indexes (people by place, roles and skills by id), every match scored in JS. */
function plainScan(db: Database.Database, q: CandidateQuery, now: number) {
  const place = q.reach === "county" ? "p.province = ? AND p.county = ?" : "p.province = ?";
  const args = q.reach === "county" ? [q.province, q.county] : [q.province];
  const has = q.role
    ? "EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = p.id AND r.role = ?)"
    : `EXISTS (SELECT 1 FROM person_skills s WHERE s.person_id = p.id AND s.skill IN (${q.skills.map(() => "?").join(",")}))`;
  const rows = db
    .prepare(
      `SELECT p.id, p.county, p.neighbourhood, p.lat, p.lon, p.slot_mask,
         (SELECT group_concat(skill) FROM person_skills s WHERE s.person_id = p.id) AS skills,
         m.last_offer_ms, m.recent_offers, m.decline_streak
       FROM people p LEFT JOIN match_stats m ON m.person_id = p.id
       WHERE ${place} AND p.registered_at IS NOT NULL AND p.erased_at IS NULL AND p.notify_matches = 1
         AND (p.slot_mask & ?) <> 0 AND ${has}
         AND EXISTS (SELECT 1 FROM identities i WHERE i.person_id = p.id AND i.reachable = 1)`,
    )
    .raw()
    .all(...args, q.slotMask, ...(q.role ? [q.role] : q.skills)) as unknown[][];
  const wanted = new Set(q.skills);
  const candidates = rows.map((r): CandidateRow => ({
    personId: r[0] as string,
    county: r[1] as string,
    neighbourhood: r[2] as string | null,
    lat: r[3] as number | null,
    lon: r[4] as number | null,
    slotMask: r[5] as number,
    skillsMatched: String(r[6] ?? "")
      .split(",")
      .filter((s) => wanted.has(s)).length,
    hasRole: q.role !== null,
    lastOfferMs: r[7] as number | null,
    recentOffers: (r[8] as number | null) ?? 0,
    declineStreak: (r[9] as number | null) ?? 0,
  }));
  return topCandidates(candidates, q, 20, now);
}

async function main() {
  console.log(`bench:match — ${N.toLocaleString("en")} volunteers, ${QUERIES} needs per case, top 20`);
  let t = performance.now();
  const { rebuildMs, rows } = await seedVolunteers();
  print("seeding (people, roles, skills, identities)", `${((performance.now() - t - rebuildMs) / 1000).toFixed(1)} s`);
  print("candidate index rebuild", `${(rebuildMs / 1000).toFixed(1)} s, ${rows.toLocaleString("en")} rows`);
  const store = openSqliteStore(dir, cipher);
  await store.centres.upsertCentres([
    ...[{ code: "BENCH", kind: "children_home" as const, name: "bench", province: "tehran", county: "tehran" }].map(
      (c) => ({
        ...c,
        ...{ neighbourhood: null, address: "-", phone: null, location: null, institutionCode: null },
      }),
    ),
  ]);
  const raw = new Database(join(dir, SQLITE_FILE), { readonly: true });
  const now = new Date();
  const cases: { label: string; provinces: string[]; reach: "province" | "county" }[] = [
    { label: "province-wide, pilot provinces", provinces: PILOTS, reach: "province" },
    { label: "province-wide, Tehran (largest)", provinces: ["tehran"], reach: "province" },
    { label: "county-level, pilot provinces", provinces: PILOTS, reach: "county" },
    { label: "county-level, Tehran", provinces: ["tehran"], reach: "county" },
  ];
  for (const c of cases) {
    const queries = Array.from({ length: QUERIES }, () => queryFor(pick(c.provinces), c.reach));
    const cold: number[] = [];
    for (const q of queries) {
      t = performance.now();
      await store.needs.candidates(q, 20, now);
      cold.push(performance.now() - t);
    }
    // Each pass on its own, so the baseline's big scans do not disturb the indexed timings.
    const indexed: number[] = [];
    const results: string[] = [];
    for (const q of queries) {
      t = performance.now();
      const got = await store.needs.candidates(q, 20, now);
      indexed.push(performance.now() - t);
      results.push(got.map((x) => x.score).join());
    }
    const plain: number[] = [];
    let agree = 0;
    if (BASELINE)
      queries.forEach((q, i) => {
        t = performance.now();
        const base = plainScan(raw, q, now.getTime());
        plain.push(performance.now() - t);
        if (results[i] === base.map((x) => x.score).join()) agree++;
      });
    const writing: number[] = [];
    const need = await store.needs.create({
      kind: "centre",
      centreCode: "BENCH",
      requesterId: null,
      createdBy: "bench",
      role: "tutor",
      skills: [],
      wanted: 1,
      startDate: "2027-01-01",
      endDate: "2027-03-01",
      slots: ["sat.morning"],
      reach: "province",
      notes: null,
      status: "open",
    });
    for (const q of queries) {
      t = performance.now();
      const got = await store.needs.candidates(q, 20, now);
      writing.push(performance.now() - t);
      await store.needs.createOffers(need.id, got.slice(0, 5), now, new Date(now.getTime() + 86_400_000));
    }
    const p50 = percentile(indexed, 50);
    const p99 = percentile(indexed, 99);
    print(
      `${c.label}: cold p50 / p99 (bucket loads)`,
      `${percentile(cold, 50).toFixed(2)} ms / ${percentile(cold, 99).toFixed(2)} ms`,
    );
    print(
      `${c.label}: with writes p50 / p99`,
      `${percentile(writing, 50).toFixed(2)} ms / ${percentile(writing, 99).toFixed(2)} ms`,
    );
    print(`${c.label}: warm p50 / p99`, `${p50.toFixed(2)} ms / ${p99.toFixed(2)} ms`);
    if (!BASELINE) continue;
    const b99 = percentile(plain, 99);
    print(
      `${c.label}: plain scan p50 / p99 (baseline)`,
      `${percentile(plain, 50).toFixed(2)} ms / ${b99.toFixed(2)} ms`,
    );
    print(`${c.label}: speed-up at p99 (baseline / indexed)`, `${(b99 / p99).toFixed(1)}×`);
    print(`${c.label}: same top-20 scores as baseline`, `${agree}/${queries.length}`);
  }
  raw.close();
  await store.close();
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

await main();
