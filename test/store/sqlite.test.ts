import Database from "better-sqlite3";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../../src/store/sqlite/migrations.js";
import { openSqliteStore, SQLITE_FILE } from "../../src/store/sqlite/index.js";
import { tempDir } from "../support/config.js";
import { storeContract, TEST_CIPHER } from "./contract.js";
import { timebankContract } from "./contract-timebank.js";

describe("store contract: SQLite", () => {
  storeContract(async () => openSqliteStore(tempDir(), TEST_CIPHER));
  timebankContract(async () => openSqliteStore(tempDir(), TEST_CIPHER));
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
