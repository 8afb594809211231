import { resolve } from "node:path";
import type { Config } from "../config.js";
import { migrateCollections, type CollectionResult, type MigrationTarget } from "../services/migrate.js";
import { PiiCipher, resolvePiiKey } from "../security/pii.js";
import { openMongoMigrationTarget } from "../store/mongo/import.js";
import { openSqliteExport } from "../store/sqlite/export.js";
import { parseArgs } from "./args.js";
import { cliConfig, type CliIO } from "./runtime.js";

export const MIGRATE_USAGE = `Usage: hamdel migrate --to "mongodb://…" [--db NAME] [--batch 500] [--source NAME]

Copies the embedded store in DATA_DIR into MongoDB: idempotent (documents are
upserted by key; a second run writes nothing), resumable (an interrupted run
continues where it stopped), verified (every document of this pilot must be
in MongoDB under its key; other provinces already there are not counted).
Pilots are migrated one after another into one national database: progress
is kept per source (--source, default the DATA_DIR path) and collection. A
person whose national ID or account already belongs to someone else there is
not copied: they are listed by id as a conflict, and the run goes on.
Personal data is copied sealed: every pilot and the MongoDB deployment must
use the same PII_KEY.`;

/** Prints the per-collection counts and every conflict; true when every source document is accounted for. */
export function printReport(io: CliIO, results: CollectionResult[]): boolean {
  const col = (v: number | string, w = 9) => String(v).padStart(w);
  io.log(`\n${"collection".padEnd(22)}${col("source")}${col("MongoDB")}${col("conflict")}${col("written")}  result`);
  for (const r of results) {
    const note = r.resumedFrom !== null ? ` (resumed after row ${r.resumedFrom})` : "";
    io.log(
      `${r.name.padEnd(22)}${col(r.source)}${col(r.target)}${col(r.conflicts.length)}${col(r.written)}  ${r.ok ? "ok" : "MISMATCH"}${note}`,
    );
  }
  const conflicts = results.flatMap((r) => r.conflicts.map((c) => ({ ...c, collection: r.name })));
  if (conflicts.length > 0) {
    io.log(`\n${conflicts.length} not copied: already taken in MongoDB by another document`);
    for (const c of conflicts) io.log(`  ${c.collection} ${c.id}: ${c.field} belongs to someone else there`);
  }
  return results.every((r) => r.ok);
}

export async function migrateCommand(
  argv: string[],
  io: CliIO = console,
  openTarget: (
    uri: string,
    db?: string,
  ) => Promise<MigrationTarget & { close(): Promise<void> }> = openMongoMigrationTarget,
  given?: Config,
): Promise<number> {
  const { flags, switches } = parseArgs(argv);
  const to = flags.get("to")?.[0];
  const batch = Number(flags.get("batch")?.[0] ?? 500);
  if (switches.has("help") || !to || !/^mongodb(\+srv)?:\/\/.+/.test(to) || !Number.isInteger(batch) || batch < 1) {
    io.error(
      to && !/^mongodb(\+srv)?:\/\//.test(to) ? `--to: expected a mongodb:// URI\n\n${MIGRATE_USAGE}` : MIGRATE_USAGE,
    );
    return 2;
  }
  const config = cliConfig(io, given);
  if (!config) return 2;
  const source = openSqliteExport(
    config.dataDir,
    new PiiCipher(resolvePiiKey(config.piiKey, config.piiKeyFile, () => {})),
  );
  let target: Awaited<ReturnType<typeof openTarget>> | undefined;
  try {
    target = await openTarget(to, flags.get("db")?.[0]);
    io.log(`copying ${config.dataDir} into MongoDB, ${batch} documents at a time`);
    const sourceId = flags.get("source")?.[0] ?? resolve(config.dataDir);
    const results = await migrateCollections({ id: sourceId, collections: source.collections }, target, {
      batchSize: batch,
      onBatch: (name, copied, total) => io.log(`  ${name}: ${copied} / ${total}`),
    });
    const ok = printReport(io, results);
    if (!config.piiKey)
      io.log(
        `\nThe personal data was sealed with the key in ${config.piiKeyFile}: ` +
          "set PII_KEY to its contents in the MongoDB deployment (it is never printed here).",
      );
    io.log(
      ok
        ? "\nmigration verified: every document of this pilot is in MongoDB, or listed above as a conflict"
        : "\nmigration NOT verified: documents are missing (see above)",
    );
    return ok ? 0 : 1;
  } catch (e) {
    io.error(`migration stopped: ${(e as Error).message}\nRun the same command again to resume.`);
    return 1;
  } finally {
    source.close();
    await target?.close();
  }
}
