import { expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { migrateCommand } from "../../src/cli/migrate.js";
import { openMongoStore } from "../../src/store/mongo/index.js";
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
