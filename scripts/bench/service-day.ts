/**
 * `npm run bench:service-day`: one Ramadan evening's day of service in the
 * embedded store — BENCH_SESSIONS (20,000) volunteers with a session at the
 * same hour at 300 centres — and what the minute tick does with it: the
 * 48-hour reminders (ticks of 1,000 until none is left), then the 20:00
 * digests of every centre the evening before.
 *
 * Baseline, same data, same run: queuing the same number of one-to-one
 * pushes of the same text straight into the outbox (`pushTo`), the floor
 * under any reminder; the ratio is what finding, claiming and wording each
 * reminder adds.
 */
import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addDaysIso, isoDateIn } from "../../src/domain/jalali.js";
import { localInstant, PART_HOURS } from "../../src/domain/sessions.js";
import { createI18n } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { PiiCipher } from "../../src/security/pii.js";
import { pushTo } from "../../src/services/broadcast.js";
import { serviceTick, type ServiceDayDeps } from "../../src/services/service-day/index.js";
import { localClaims } from "../../src/state/claims.js";
import type { Centre, NewSession } from "../../src/store/port/index.js";
import { openSqliteStore, SQLITE_FILE } from "../../src/store/sqlite/index.js";

const N = Number(process.env.BENCH_SESSIONS ?? 20_000);
const CENTRES = 300;
const TZ = "Asia/Tehran";
const dir = mkdtempSync(join(tmpdir(), "hamdel-service-day-"));
const KEY = "bench-key-0123456789abcdef0123456789";
const print = (label: string, value: string) => console.log(`${label.padEnd(52)} ${value}`);

// The session: 18:00 (evening) three days from now, so the 48-hour window opens tomorrow.
const date = addDaysIso(isoDateIn(new Date(), TZ), 3);
const startsAt = localInstant(date, PART_HOURS.evening.from, TZ);
const endsAt = localInstant(date, PART_HOURS.evening.to, TZ);

function seedPeople(ids: string[]) {
  openSqliteStore(dir, new PiiCipher(KEY)).close(); // schema and migrations
  const db = new Database(join(dir, SQLITE_FILE));
  db.pragma("journal_mode = WAL");
  const person = db.prepare(
    `INSERT INTO people (id, first_name, last_name, province, county, volunteer_code, registered_at, created_at, updated_at)
     VALUES (?, 'نرگس', 'احمدی', 'kermanshah', 'kermanshah', ?, ?, ?, ?)`,
  );
  const identity = db.prepare(
    "INSERT INTO identities (platform, user_id, person_id, chat_id, reachable, linked_at) VALUES ('bale', ?, ?, ?, 1, ?)",
  );
  const at = new Date().toISOString();
  db.transaction(() => {
    ids.forEach((id, i) => {
      person.run(id, `HM-${i.toString(36).toUpperCase().padStart(6, "0")}`, at, at, at);
      identity.run(String(1e9 + i), id, String(1e9 + i), at);
    });
  })();
  db.close();
}

const t0 = performance.now();
const ids = Array.from({ length: N }, (_, i) => `p${String(i).padStart(7, "0")}`);
seedPeople(ids);
const store = openSqliteStore(dir, new PiiCipher(KEY));
const centres: Centre[] = Array.from({ length: CENTRES }, (_, i) => ({
  code: `KSH-B-${String(i).padStart(3, "0")}`,
  kind: "positive_life",
  name: `مرکز ${i}`,
  province: "kermanshah",
  county: "kermanshah",
  neighbourhood: null,
  address: "خیابان ۱",
  phone: "08338000000",
  location: null,
  institutionCode: null,
}));
await store.centres.upsertCentres(centres);
const sessions: NewSession[] = ids.map((personId, i) => ({
  offerId: `o${i}`,
  needId: `n${i % CENTRES}`,
  personId,
  centreCode: centres[i % CENTRES]!.code,
  date,
  part: "evening",
  startsAt,
  endsAt,
}));
for (let i = 0; i < N; i += 5000) await store.sessions.create(sessions.slice(i, i + 5000));
print(
  `seeded ${N.toLocaleString("en")} sessions at ${CENTRES} centres`,
  `${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const i18n = await createI18n();
let clock = new Date(startsAt.getTime() - 47 * 3_600_000);
const claims = localClaims();
const d: ServiceDayDeps = {
  store,
  i18n,
  logger: createLogger("warn"),
  timeZone: TZ,
  quietHours: null,
  now: () => clock,
  signCheckIn: (code) => code,
  claimOnce: (key, ttl) => claims.claimOnce(key, ttl),
  checkInLinks: () => [],
  verifyUrl: (code) => `https://hamdel.example/verify?code=${code}`,
};

// Baseline: the same number of pushes queued directly, into a store of its own with the same people.
const baseDir = mkdtempSync(join(tmpdir(), "hamdel-service-day-base-"));
openSqliteStore(baseDir, new PiiCipher(KEY)).close(); // schema and migrations
{
  const db = new Database(join(baseDir, SQLITE_FILE));
  const at = new Date().toISOString();
  const person = db.prepare(
    "INSERT INTO people (id, first_name, registered_at, created_at, updated_at) VALUES (?, 'نرگس', ?, ?, ?)",
  );
  const identity = db.prepare(
    "INSERT INTO identities (platform, user_id, person_id, chat_id, reachable, linked_at) VALUES ('bale', ?, ?, ?, 1, ?)",
  );
  db.transaction(() =>
    ids.forEach((id, i) => {
      person.run(id, at, at, at);
      identity.run(String(1e9 + i), id, String(1e9 + i), at);
    }),
  )();
  db.close();
}
const base = openSqliteStore(baseDir, new PiiCipher(KEY));
const text = "📅 یادآوری نوبت خدمت";
let t = performance.now();
for (const id of ids) await pushTo(base, id, text, { buttons: [[{ text: "✅ می‌آیم", data: "ss:y:x" }]] });
const baseline = performance.now() - t;
print(`baseline: ${N.toLocaleString("en")} pushes queued directly`, `${(baseline / 1000).toFixed(2)} s`);

console.log("\nthe minute tick, 47 hours before (ticks of 1,000):");
t = performance.now();
let ticks = 0;
let reminded = 0;
for (;;) {
  const tick = performance.now();
  const r = await serviceTick(d);
  ticks++;
  if (ticks === 1) print("first tick", `${(performance.now() - tick).toFixed(0)} ms, ${r.d2} reminders`);
  reminded += r.d2;
  if (r.d2 === 0) break;
}
const remindersMs = performance.now() - t;
print(
  `${reminded.toLocaleString("en")} reminders in ${ticks} ticks`,
  `${(remindersMs / 1000).toFixed(2)} s  (${Math.round(reminded / (remindersMs / 1000)).toLocaleString("en")}/s)`,
);
print("ratio to the baseline", `${(remindersMs / baseline).toFixed(2)}×`);
const queued = await store.deliveries.pendingCount();
print("one-to-one messages waiting in the outbox", queued.toLocaleString("en"));

console.log("\nthe evening before, 20:30: every centre's digest of tomorrow:");
clock = new Date(localInstant(addDaysIso(date, -1), 20, TZ).getTime() + 30 * 60_000);
await store.access.grant({ platform: "bale", userId: "5", role: "national_admin", scope: "*", grantedBy: "bench" });
for (const c of centres)
  await store.access.grant({
    platform: "bale",
    userId: `c-${c.code}`,
    role: "centre_coordinator",
    scope: c.code,
    grantedBy: "bench",
  });
t = performance.now();
const digest = await serviceTick(d);
print(
  `${digest.digests} digests (${(N / CENTRES).toFixed(0)} volunteers each)`,
  `${((performance.now() - t) / 1000).toFixed(2)} s`,
);
print("a second tick (each centre once)", `${(await serviceTick(d)).digests} digests`);
await store.close();
await base.close();
