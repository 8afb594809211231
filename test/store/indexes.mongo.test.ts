import mongoose from "mongoose";
import { expect, it } from "vitest";
import { dbCommand } from "../../src/cli/db.js";
import { parseConfig } from "../../src/config.js";
import { openMongoStore } from "../../src/store/mongo/index.js";
import { declaredIndexes, type IndexState } from "../../src/store/mongo/indexes.js";
import { registerModels } from "../../src/store/mongo/models.js";
import { describeMongo, freshDbName } from "../support/mongo-lane.js";
import { TEST_CIPHER } from "./contract/index.js";

/** The URI with its database set to `db` (one host, as in the tests). */
const withDb = (uri: string, db: string) => {
  const u = new URL(uri);
  u.pathname = `/${db}`;
  return u.toString();
};

describeMongo("MongoDB indexes: an operator's step, checked by every worker", ({ uri }) => {
  it("a worker on a database without indexes starts, builds none and warns, naming what is missing", async () => {
    const dbName = freshDbName("hamdel_idx");
    const warnings: { message: string; missing: IndexState[] }[] = [];
    const store = await openMongoStore(
      { uri, dbName, warn: (message, missing) => warnings.push({ message, missing }) },
      TEST_CIPHER,
    );
    await store.close();
    const declared = declaredIndexes(registerModels(mongoose.createConnection()));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain("hamdel db indexes");
    expect(warnings[0]!.missing).toHaveLength(declared.length);
    expect(warnings[0]!.missing.map((m) => `${m.collection}.${m.name}`)).toContain("people.identityKeys_1");
    // Nothing was built by the worker.
    const conn = await mongoose.createConnection(uri, { dbName }).asPromise();
    const people = await conn
      .db!.collection("people")
      .listIndexes()
      .toArray()
      .catch(() => []);
    expect(people.map((i) => i.name)).not.toContain("identityKeys_1");
    await conn.close();
  });

  it("`db indexes` builds them, is idempotent, and `--check` agrees; then workers stop warning", async () => {
    const dbName = freshDbName("hamdel_idx");
    const config = parseConfig({ MONGODB_URI: withDb(uri, dbName), PII_KEY: "k".repeat(32) });
    const lines: string[] = [];
    const io = { log: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    expect(await dbCommand(["indexes", "--check"], io, config)).toBe(1);
    expect(lines.join("\n")).toMatch(/people\s+identityKeys_1\s+missing/);
    lines.length = 0;
    expect(await dbCommand(["indexes"], io, config), lines.join("\n")).toBe(0);
    const declared = declaredIndexes(registerModels(mongoose.createConnection())).length;
    expect(lines.join("\n")).toContain(`${declared} indexes: ${declared} created, 0 already there`);
    lines.length = 0;
    expect(await dbCommand(["indexes"], io, config)).toBe(0);
    expect(lines.join("\n")).toContain(`${declared} indexes: 0 created, ${declared} already there`);
    lines.length = 0;
    expect(await dbCommand(["indexes", "--check"], io, config)).toBe(0);
    expect(lines.join("\n")).toContain("every declared index exists");
    const warnings: string[] = [];
    const store = await openMongoStore({ uri, dbName, warn: (m) => warnings.push(m) }, TEST_CIPHER);
    await store.close();
    expect(warnings).toEqual([]);
  });

  it("`db indexes` without MONGODB_URI, or with a wrong subcommand, says what it needs", async () => {
    const lines: string[] = [];
    const io = { log: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    expect(await dbCommand(["indexes"], io, parseConfig({}))).toBe(2);
    expect(lines.join("\n")).toContain("MONGODB_URI is not set");
    expect(await dbCommand(["drop"], io, parseConfig({}))).toBe(2);
    expect(lines.join("\n")).toContain("Usage: hamdel db indexes");
  });
});
