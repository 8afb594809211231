import mongoose from "mongoose";
import { buildIndexes, missingIndexes, requireReplicaSet, type IndexState } from "../store/mongo/indexes.js";
import { registerModels } from "../store/mongo/models.js";
import type { Config } from "../config.js";
import { parseArgs } from "./args.js";
import { cliConfig, type CliIO } from "./runtime.js";

export const DB_USAGE = `Usage: hamdel db indexes [--check]

Builds the MongoDB indexes Hamdel declares (src/store/mongo/models.ts) that
the database (MONGODB_URI) lacks, and lists every one: "exists" or "created".
Idempotent: run it at each deployment, before the workers start; workers
only check and warn. With --check, builds nothing and exits 1 when any is
missing. An index whose options changed fails with MongoDB's error naming
it: drop that index by hand, then run this again.`;

function printIndexes(io: CliIO, rows: IndexState[]) {
  io.log(`${"collection".padEnd(22)} ${"index".padEnd(40)} state`);
  for (const r of rows) io.log(`${r.collection.padEnd(22)} ${r.name.padEnd(40)} ${r.state}`);
}

export async function dbCommand(argv: string[], io: CliIO = console, given?: Config): Promise<number> {
  const [sub, ...rest] = argv;
  const { switches } = parseArgs(rest);
  if (sub !== "indexes" || switches.has("help")) {
    io.error(DB_USAGE);
    return 2;
  }
  const config = cliConfig(io, given);
  if (!config) return 2;
  if (config.store.kind !== "mongo") {
    io.error("db indexes: MONGODB_URI is not set. The embedded store builds its own indexes in its migrations.");
    return 2;
  }
  const conn = mongoose.createConnection(config.store.uri, { serverSelectionTimeoutMS: 5000, autoIndex: false });
  try {
    await conn.asPromise();
    await requireReplicaSet(conn);
    const models = registerModels(conn);
    if (switches.has("check")) {
      const missing = await missingIndexes(models);
      if (missing.length === 0) io.log("every declared index exists");
      else printIndexes(io, missing);
      return missing.length === 0 ? 0 : 1;
    }
    const rows = await buildIndexes(models);
    printIndexes(io, rows);
    const created = rows.filter((r) => r.state === "created").length;
    io.log(`\n${rows.length} indexes: ${created} created, ${rows.length - created} already there`);
    return 0;
  } catch (e) {
    io.error(`db indexes failed: ${(e as Error).message}`);
    return 1;
  } finally {
    await conn.close();
  }
}
