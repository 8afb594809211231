/**
 * `npm run bench:console`: the coordinators' console at 120,000 volunteers
 * (BENCH_VOLUNTEERS) in the embedded store, timed over real HTTP for a
 * provincial admin (Kermanshah, ~16 % of the volunteers here, a large
 * province): the volunteers table's first page, a filtered page (county and
 * skill), a text search, a deep page (the 40th, by its keyset link), and the
 * overview (the /report service with its charts: built once a minute per
 * scope, timed once, then reused). Each BENCH_ROUNDS (30) times; p50 and p95
 * are printed.
 *
 * Baseline, same data, same run: the store's own `listRegistered` call behind
 * each table request (no HTTP, no session, no rendering), so the ratio is what
 * the console adds; and, for the deep page, an OFFSET query of the same page,
 * what keyset paging avoids.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { slotMask } from "../../src/domain/matching.js";
import { PROVINCES, ROLES, SKILL_CATEGORIES, WEEKDAYS, DAY_PARTS } from "../../src/domain/taxonomy.js";
import { PiiCipher } from "../../src/security/pii.js";
import { openSqliteStore, SQLITE_FILE } from "../../src/store/sqlite/index.js";

const N = Number(process.env.BENCH_VOLUNTEERS ?? 120_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
/** The deep page followed to (BENCH_PAGE; the smoke run's few volunteers have only a few pages). */
const DEEP = Number(process.env.BENCH_PAGE ?? 40);
const dir = mkdtempSync(join(tmpdir(), "hamdel-console-"));
const KEY = "bench-key-0123456789abcdef0123456789";
const print = (label: string, value: string) => console.log(`${label.padEnd(44)} ${value}`);

let seed = 7;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
const SKILLS = SKILL_CATEGORIES.flatMap((c) => c.skills);
const SLOTS = WEEKDAYS.flatMap((d) => DAY_PARTS.map((p) => `${d}.${p}`));
const FIRST = ["زهرا", "فاطمه", "مریم", "علی", "محمد", "حسین", "سارا", "رضا", "نرگس", "امیر", "لیلا", "مهدی"];
const LAST = ["احمدی", "کریمی", "رضایی", "محمدی", "حسینی", "موسوی", "جعفری", "کاظمی", "رحیمی", "قاسمی", "یکتا"];
const HOODS = ["الهیه", "شهرک بهاران", "فرهنگیان", "نوبهار", "کسرا", "دولت‌آباد", "مسکن", "جعفرآباد"];
/** Kermanshah about 16 %, the rest of the provinces evenly. */
const provinceOf = () => (rnd() < 0.16 ? PROVINCES.find((p) => p.id === "kermanshah")! : pick(PROVINCES));

function seedVolunteers() {
  openSqliteStore(dir, new PiiCipher(KEY)).close(); // schema and migrations
  const db = new Database(join(dir, SQLITE_FILE));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const person = db.prepare(
    `INSERT INTO people (id, first_name, last_name, province, county, neighbourhood, availability, slot_mask, volunteer_code,
       source, registered_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const identity = db.prepare(
    "INSERT INTO identities (platform, user_id, person_id, chat_id, reachable, linked_at) VALUES ('telegram', ?, ?, ?, ?, ?)",
  );
  const role = db.prepare("INSERT OR IGNORE INTO person_roles (person_id, role) VALUES (?, ?)");
  const skill = db.prepare("INSERT OR IGNORE INTO person_skills (person_id, skill) VALUES (?, ?)");
  const start = Date.now() - 3 * 365 * 86_400_000;
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `p${String(i).padStart(7, "0")}`;
      const prov = provinceOf();
      const slots = SLOTS.filter(() => rnd() < 0.2);
      const at = new Date(start + (i / N) * 3 * 365 * 86_400_000).toISOString();
      person.run(
        id,
        pick(FIRST),
        pick(LAST),
        prov.id,
        pick(prov.counties),
        pick(HOODS),
        JSON.stringify({ slots, hoursPerWeek: 4 }),
        slotMask(slots),
        `HM-${i.toString(36).toUpperCase().padStart(6, "0")}`,
        rnd() < 0.3 ? "KSH-POS-01" : null,
        at,
        at,
        at,
      );
      identity.run(String(1e9 + i), id, String(1e9 + i), rnd() < 0.97 ? 1 : 0, at);
      for (let r = 0; r < 1 + Math.floor(rnd() * 2); r++) role.run(id, pick(ROLES).id);
      for (let s = 0; s < 1 + Math.floor(rnd() * 4); s++) skill.run(id, pick(SKILLS));
    }
  });
  for (let i = 0; i < N; i += 20_000) batch(i, Math.min(N, i + 20_000));
  db.exec("ANALYZE");
  db.close();
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
async function time(label: string, run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await run(); // warm
  const ms: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  const r = { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95) };
  print(label, `p50 ${r.p50.toFixed(1)} ms   p95 ${r.p95.toFixed(1)} ms`);
  return r;
}

const t0 = performance.now();
seedVolunteers();
print(`seeded ${N.toLocaleString("en")} volunteers`, `${((performance.now() - t0) / 1000).toFixed(1)} s`);

const config = parseConfig({ DATA_DIR: dir, PII_KEY: KEY, PORT: "0", LOG_LEVEL: "warn", QUIET_HOURS: "off" });
const app = await createApp(config);
const port = await app.server.listen(0, "127.0.0.1");
const base = `http://127.0.0.1:${port}`;
const admin = { platform: "telegram" as const, userId: "777" };
await app.deps.store.access.grant({ ...admin, role: "provincial_admin", scope: "kermanshah", grantedBy: "bench" });
const login = await fetch(`${base}/console/login`, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ t: new URL(app.deps.console.linkFor(admin)).searchParams.get("t")! }).toString(),
  redirect: "manual",
});
const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
const page = async (path: string) => {
  const res = await fetch(base + path, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return res.text();
};

const county = PROVINCES.find((p) => p.id === "kermanshah")!.counties[1]!;
const people = app.deps.store.people;
const ksh = { provinces: ["kermanshah"] };
console.log(`\nconsole over HTTP, a provincial admin (Kermanshah), ${ROUNDS} rounds each:`);
const cold = performance.now();
await page("/console/");
print("overview, built (the first in a minute)", `${(performance.now() - cold).toFixed(1)} ms`);
const results = {
  first: await time("volunteers, first page", () => page("/console/volunteers")),
  filtered: await time("volunteers, county + skill", () => page(`/console/volunteers?county=${county}&skill=cooking`)),
  search: await time("volunteers, text search «کریمی»", () =>
    page(`/console/volunteers?text=${encodeURIComponent("کریمی")}`),
  ),
  overview: await time("overview, within the minute (reused)", () => page("/console/")),
};
// The DEEP-th page, by following the keyset links.
let deep = "/console/volunteers";
for (let i = 1; i < DEEP; i++)
  deep = /href="(\/console\/volunteers\?[^"]*after=[^"]+)" rel="next"/
    .exec(await page(deep))![1]!
    .replaceAll("&amp;", "&");
const deepResult = await time(`volunteers, page ${DEEP} (keyset link)`, () => page(deep));

console.log(`\nbaseline: the store call alone (no HTTP, session or rendering):`);
const base1 = await time("listRegistered, first page", () => people.listRegistered(ksh, null, 50));
const base2 = await time("listRegistered, county + skill", () =>
  people.listRegistered({ ...ksh, counties: [county], skills: ["cooking"] }, null, 50),
);
const base3 = await time("listRegistered, text", () => people.listRegistered({ ...ksh, text: "کریمی" }, null, 50));
const raw = new Database(join(dir, SQLITE_FILE), { readonly: true });
const offset = raw.prepare(
  "SELECT id FROM people WHERE registered_at IS NOT NULL AND erased_at IS NULL AND province = 'kermanshah' ORDER BY registered_at, id LIMIT 50 OFFSET ?",
);
const base4 = await time(`OFFSET query of page ${DEEP}`, async () => offset.all((DEEP - 1) * 50));

console.log("\nratio (console p95 / store p95):");
print("first page", `${(results.first.p95 / base1.p95).toFixed(1)}×`);
print("county + skill", `${(results.filtered.p95 / base2.p95).toFixed(1)}×`);
print("text search", `${(results.search.p95 / base3.p95).toFixed(1)}×`);
print(`page ${DEEP} vs an OFFSET query alone`, `${(deepResult.p95 / base4.p95).toFixed(1)}×`);
const worst = Math.max(
  results.first.p95,
  results.filtered.p95,
  results.search.p95,
  results.overview.p95,
  deepResult.p95,
);
print(
  "goal: every p95 ≤ 200 ms",
  worst <= 200 ? `met (worst ${worst.toFixed(1)} ms)` : `NOT met (worst ${worst.toFixed(1)} ms)`,
);
raw.close();
await app.stop();
rmSync(dir, { recursive: true, force: true });
