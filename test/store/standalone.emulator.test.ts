import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbCommand } from "../../src/cli/db.js";
import { parseConfig } from "../../src/config.js";
import { openMongoStore } from "../../src/store/mongo/index.js";
import { startEmulator, type RunningEmulator } from "../support/mongo-emulator.js";
import { TEST_CIPHER } from "./contract/index.js";

/** A standalone server (the emulator started without its replica set): refused at start, with what to do. */
describe("a standalone MongoDB-compatible server (EMULATOR, not MongoDB)", () => {
  let standalone: RunningEmulator;
  beforeAll(async () => {
    standalone = await startEmulator(20_000, undefined, "standalone");
  });
  afterAll(() => standalone?.stop());

  it("is refused when the store opens, saying a replica set is needed", async () => {
    const uri = standalone.uri.replace(/\?.*$/, "");
    await expect(openMongoStore({ uri, dbName: "hamdel_standalone" }, TEST_CIPHER)).rejects.toThrow(
      /standalone server: Hamdel needs a replica set.*--replSet/,
    );
  });

  it("is refused by `db indexes` too", async () => {
    const lines: string[] = [];
    const io = { log: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const config = parseConfig({ MONGODB_URI: standalone.uri.replace(/\?.*$/, ""), PII_KEY: "k".repeat(32) });
    expect(await dbCommand(["indexes"], io, config)).toBe(1);
    expect(lines.join("\n")).toContain("needs a replica set");
  });
});
