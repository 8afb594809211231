import { expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { migrateCommand } from "../../src/cli/migrate.js";
import { PiiCipher } from "../../src/security/pii.js";
import { openMongoStore } from "../../src/store/mongo/index.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { tempDir } from "../support/config.js";
import { describeMongo } from "../support/mongo-lane.js";
import { seededStore } from "../support/pilot.js";

describeMongo("migrate into MongoDB itself", ({ uri }) => {
  const seeded = seededStore();

  it("the copied people are read back by the MongoDB store, PII opened with the same key", async () => {
    const dbName = `hamdel_migrate_${Date.now()}`;
    const lines: string[] = [];
    const io = { log: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const config = parseConfig({ DATA_DIR: seeded.dataDir });
    expect(await migrateCommand(["--to", uri, "--db", dbName], io, undefined, config), lines.join("\n")).toBe(0);
    expect(await migrateCommand(["--to", uri, "--db", dbName], io, undefined, config)).toBe(0);
    const mongo = await openMongoStore({ uri, dbName }, seeded.cipher());
    try {
      const person = await mongo.people.findByIdentity({ platform: "telegram", userId: "u0" });
      expect(person).toMatchObject({ firstName: "n0", phone: "09120000000", skills: ["cooking"] });
      expect((await mongo.centres.listCentres()).length).toBe((await seeded.store.centres.listCentres()).length);
    } finally {
      await mongo.close();
    }
  });
});

describeMongo("two pilots into one national database", ({ uri }) => {
  const PII_KEY = "national-pii-key-shared-by-every-pilot-0123";
  const cipher = new PiiCipher(PII_KEY);

  /** A pilot with four registered people (one national ID shared with the other pilot) of whom two are erased. */
  async function pilot(prefix: string, province: string) {
    const dataDir = tempDir();
    const store = openSqliteStore(dataDir, cipher);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { person } = await store.people.ensure({
        platform: "bale",
        userId: `${prefix}${i}`,
        chatId: `${prefix}${i}`,
      });
      await store.people.update(person.id, {
        firstName: `${prefix}${i}`,
        registeredAt: new Date("2026-11-01T00:00:00Z"),
        province,
        nationalId: i === 0 ? "0012345679" : null,
      });
      ids.push(person.id);
    }
    await store.people.erase(ids[2]!);
    await store.people.erase(ids[3]!);
    await store.close();
    return { dataDir, ids };
  }

  it("verifies each, reports the shared national ID as one conflict, copies erased people, and a re-run writes nothing", async () => {
    const [a, b] = [await pilot("a", "kermanshah"), await pilot("b", "golestan")];
    const dbName = `hamdel_national_${Date.now()}`;
    const run = async (dataDir: string) => {
      const lines: string[] = [];
      const io = { log: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
      const code = await migrateCommand(
        ["--to", uri, "--db", dbName],
        io,
        undefined,
        parseConfig({ DATA_DIR: dataDir, PII_KEY }),
      );
      return { code, out: lines.join("\n") };
    };
    const first = await run(a.dataDir);
    expect(first.code, first.out).toBe(0);
    const second = await run(b.dataDir);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toMatch(/people\s+4\s+3\s+1\s+3\s+ok/);
    expect(second.out).toContain(`people ${b.ids[0]}: nationalId belongs to someone else there`);
    expect(second.out).not.toContain("0012345679");
    for (const dataDir of [a.dataDir, b.dataDir]) {
      const again = await run(dataDir);
      expect(again.code, again.out).toBe(0);
      // Every collection: nothing written the second time.
      for (const line of again.out.split("\n").filter((l) => /\s(ok|MISMATCH)/.test(l)))
        expect(line, again.out).toMatch(/\s0\s+ok/);
    }
    const mongo = await openMongoStore({ uri, dbName }, cipher);
    try {
      expect(await mongo.people.count()).toBe(7);
      expect(await mongo.people.findByIdentity({ platform: "bale", userId: "a0" })).toMatchObject({
        nationalId: "0012345679",
      });
      expect(await mongo.people.findByIdentity({ platform: "bale", userId: "b0" })).toBeNull();
      for (const id of [a.ids[2]!, a.ids[3]!, b.ids[2]!, b.ids[3]!])
        expect(await mongo.people.get(id)).toMatchObject({ identities: [], erasedAt: expect.any(Date) });
    } finally {
      await mongo.close();
    }
  });
});
