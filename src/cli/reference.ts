import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import type { Config } from "../config.js";
import { importCentres, importInstitutions, type ImportReport } from "../services/reference-data.js";
import { parseArgs } from "./args.js";
import { withRuntime, type CliIO } from "./runtime.js";

/** The actor written in the audit log for operator commands. */
export const cliActor = () => `cli:${userInfo().username}`;

function report(io: CliIO, what: string, r: ImportReport): number {
  io.log(
    `${what}: ${r.inserted} added, ${r.updated} updated, ${r.grants} role grants, ${r.errors.length} rows skipped`,
  );
  for (const e of r.errors) io.error(`  line ${e.line}: ${e.message}`);
  return r.errors.length ? 1 : 0;
}

/**
 * `hamdel import-centres file.csv` / `hamdel import-institutions file.csv`.
 * Exit 0 when every row was imported, 1 when some were skipped (the good
 * rows are imported), 2 on a usage or file error.
 */
export async function importCommand(
  kind: "centres" | "institutions",
  argv: string[],
  io: CliIO = console,
  config?: Config,
): Promise<number> {
  const [file] = parseArgs(argv).rest;
  if (!file) {
    io.error(`Usage: hamdel import-${kind} <file.csv>`);
    return 2;
  }
  let csv: string;
  try {
    csv = readFileSync(file, "utf8");
  } catch (e) {
    io.error(`Cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  return withRuntime(
    io,
    async ({ store, menus }) => {
      const r =
        kind === "centres"
          ? await importCentres(store, csv, cliActor())
          : await importInstitutions(store, csv, cliActor());
      // The newly granted accounts get their command menu.
      if (r.grants > 0) await menus().refreshHolders();
      return report(io, kind, r);
    },
    config,
  );
}
