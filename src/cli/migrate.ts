import type { Config } from "../config.js";
import { migrateCollections, type CollectionResult, type MigrationTarget } from "../services/migrate.js";
import { PiiCipher, resolvePiiKey } from "../security/pii.js";
import { openMongoMigrationTarget } from "../store/mongo/import.js";
import { openSqliteExport } from "../store/sqlite/export.js";
import { parseArgs } from "./args.js";
import { cliConfig, type CliIO } from "./runtime.js";

export const MIGRATE_USAGE = `Usage: hamdel migrate --to "mongodb://…" [--db NAME] [--batch 500]

Copies the embedded store in DATA_DIR into MongoDB: idempotent (documents are
upserted by key), resumable (an interrupted run continues where it stopped),
verified (each collection's count is compared at the end). Personal data is
copied sealed: the MongoDB deployment must use the same PII_KEY.`;

/** Prints the per-collection counts; true when every one matches. */
export function printReport(io: CliIO, results: CollectionResult[]): boolean {
  io.log(`\n${"collection".padEnd(22)} ${"source".padStart(8)} ${"MongoDB".padStart(8)}  result`);
  for (const r of results) {
    const note = r.resumedFrom !== null ? ` (resumed after row ${r.resumedFrom})` : "";
    io.log(
      `${r.name.padEnd(22)} ${String(r.source).padStart(8)} ${String(r.target).padStart(8)}  ${r.ok ? "ok" : "MISMATCH"}${note}`,
    );
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
    const results = await migrateCollections(source.collections, target, {
      batchSize: batch,
      onBatch: (name, copied, total) => io.log(`  ${name}: ${copied} / ${total}`),
    });
    const ok = printReport(io, results);
    if (!config.piiKey)
      io.log(
        `\nThe personal data was sealed with the key in ${config.piiKeyFile}: ` +
          "set PII_KEY to its contents in the MongoDB deployment (it is never printed here).",
      );
    io.log(ok ? "\nmigration verified: every count matches" : "\nmigration NOT verified: counts differ (see above)");
    return ok ? 0 : 1;
  } catch (e) {
    io.error(`migration stopped: ${(e as Error).message}\nRun the same command again to resume.`);
    return 1;
  } finally {
    source.close();
    await target?.close();
  }
}
