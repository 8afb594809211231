import Database from "better-sqlite3";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../../src/store/sqlite/migrations.js";
import { openSqliteStore, SQLITE_FILE } from "../../src/store/sqlite/index.js";
import { tempDir } from "../support/config.js";
import { newNeed } from "../support/fixtures.js";
import { storeContract, TEST_CIPHER } from "./contract/index.js";

describe("store contract: SQLite", () => {
  storeContract(async () => openSqliteStore(tempDir(), TEST_CIPHER));
});

describe("SQLite specifics", () => {
  it("keeps everything across a close and reopen (a restart)", async () => {
    const dir = tempDir();
    const first = openSqliteStore(dir, TEST_CIPHER);
    const { person } = await first.people.ensure(
      { platform: "bale", userId: "7", chatId: "7" },
      { source: "centre-42" },
    );
    await first.people.update(person.id, { nationalId: "0012345679", language: "en" });
    await first.close();
    const second = openSqliteStore(dir, TEST_CIPHER);
    expect(await second.people.findByIdentity({ platform: "bale", userId: "7" })).toMatchObject({
      id: person.id,
      source: "centre-42",
      nationalId: "0012345679",
      language: "en",
    });
    await second.close();
  });

  it("stores national ID and phone only as ciphertext and keyed hash", async () => {
    const dir = tempDir();
    const store = openSqliteStore(dir, TEST_CIPHER);
    const { person } = await store.people.ensure({ platform: "telegram", userId: "8", chatId: "8" });
    await store.people.update(person.id, { nationalId: "0012345679", phone: "09121234567" });
    await store.close();
    const raw = new Database(join(dir, SQLITE_FILE), { readonly: true });
    const dump = JSON.stringify(raw.prepare("SELECT * FROM people").all());
    raw.close();
    expect(dump).not.toContain("0012345679");
    expect(dump).not.toContain("09121234567");
    expect(dump).toContain("v1.");
  });

  it("runs in WAL mode and records each migration once", () => {
    const dir = tempDir();
    openSqliteStore(dir, TEST_CIPHER).close();
    const db = new Database(join(dir, SQLITE_FILE));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(migrate(db)).toEqual([]);
    const extra = [
      ...MIGRATIONS,
      { version: 99, name: "test column", sql: "ALTER TABLE people ADD COLUMN test_extra TEXT" },
    ];
    expect(migrate(db, extra)).toEqual([99]);
    expect(migrate(db, extra)).toEqual([]);
    expect(db.prepare("SELECT version FROM schema_migrations ORDER BY version").all()).toEqual([
      ...MIGRATIONS.map((m) => ({ version: m.version })),
      { version: 99 },
    ]);
    db.close();
  });

  it("rolls back a failing migration entirely", () => {
    const db = new Database(":memory:");
    migrate(db);
    const broken = [
      ...MIGRATIONS,
      { version: 98, name: "broken", sql: "CREATE TABLE half (x); SELECT * FROM no_such_table;" },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });
});

describe("SQLite candidate cache", () => {
  const query = {
    province: "golestan",
    county: "gorgan",
    neighbourhood: null,
    location: null,
    reach: "province" as const,
    role: "tutor",
    skills: [],
    slotMask: 1,
    exclude: new Set<string>(),
  };
  const volunteer = async (store: ReturnType<typeof openSqliteStore>, userId: string, patch = {}) => {
    const { person } = await store.people.ensure({ platform: "telegram", userId, chatId: userId });
    return store.people.update(person.id, {
      registeredAt: new Date(),
      province: "golestan",
      county: "gorgan",
      roles: ["tutor"],
      availability: { slots: ["sat.morning"], hoursPerWeek: 2 },
      ...patch,
    });
  };
  const ids = async (store: ReturnType<typeof openSqliteStore>) =>
    (await store.needs.candidates(query, 100, new Date())).map((c) => c.row.personId).sort();

  it("sees another process's writes (a CLI next to the running bot)", async () => {
    const dir = tempDir();
    const bot = openSqliteStore(dir, TEST_CIPHER);
    const cli = openSqliteStore(dir, TEST_CIPHER);
    const a = await volunteer(bot, "1");
    expect(await ids(bot)).toEqual([a.id]); // buckets loaded
    const b = await volunteer(cli, "2");
    expect(await ids(bot)).toEqual([a.id, b.id].sort());
    await cli.people.update(a.id, { roles: [] });
    expect(await ids(bot)).toEqual([b.id]);
    await bot.close();
    await cli.close();
  });

  it("stays equal to a freshly loaded index through random changes", async () => {
    const dir = tempDir();
    const store = openSqliteStore(dir, TEST_CIPHER);
    let seed = 3;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    await store.centres.upsertCentres([
      {
        code: "X",
        kind: "children_home",
        name: "x",
        province: "golestan",
        county: "gorgan",
        neighbourhood: null,
        address: "x",
        phone: null,
        location: null,
        institutionCode: null,
      },
    ]);
    const people = [];
    for (let i = 0; i < 30; i++) people.push(await volunteer(store, `r${i}`));
    await ids(store);
    for (let step = 0; step < 200; step++) {
      const p = people[Math.floor(rnd() * people.length)]!;
      const r = rnd();
      if (r < 0.25) await store.people.update(p.id, { roles: rnd() < 0.5 ? ["tutor"] : ["mother_helper"] });
      else if (r < 0.45) await store.people.update(p.id, { province: rnd() < 0.7 ? "golestan" : "kermanshah" });
      else if (r < 0.6)
        await store.people.update(p.id, {
          availability: { slots: rnd() < 0.6 ? ["sat.morning"] : ["sun.morning"], hoursPerWeek: 2 },
        });
      else if (r < 0.7)
        await store.people.setReachable({ platform: "telegram", userId: p.identities[0]!.userId }, rnd() < 0.5);
      else if (r < 0.8) await store.people.update(p.id, { notify: { campaigns: true, matches: rnd() < 0.6 } });
      else {
        const need = await store.needs
          .create(newNeed({ centreCode: "X", createdBy: "t", role: "tutor", wanted: 1 }))
          .catch(() => null);
        if (need)
          await store.needs.createOffers(
            need.id,
            await store.needs.candidates(query, 2, new Date()),
            new Date(),
            new Date(Date.now() + 60_000),
          );
      }
      if (step % 20 === 19) {
        const fresh = openSqliteStore(dir, TEST_CIPHER);
        expect(await store.needs.candidates(query, 100, new Date())).toEqual(
          await fresh.needs.candidates(query, 100, new Date()),
        );
        await fresh.close();
      }
    }
    await store.close();
  });
});
