import type { Config } from "../config.js";
import { correctEntry, statement, type CorrectionRefusal } from "../services/ledger.js";
import { parseArgs } from "./args.js";
import { cliActor } from "./reference.js";
import { withRuntime, type CliIO } from "./runtime.js";

const USAGE = `Usage:
  hamdel ledger show <volunteer code>
  hamdel ledger correct <entry id> --minutes N --reason "…"   (N = what is right; 0 voids the entry)`;

/** `hamdel ledger`: a volunteer's time-bank statement, and corrections as new entries. */
export async function ledgerCommand(argv: string[], io: CliIO = console, config?: Config): Promise<number> {
  const { rest, flags } = parseArgs(argv);
  const [action, target] = rest;
  if ((action !== "show" && action !== "correct") || !target) return (io.error(USAGE), 2);
  return withRuntime(
    io,
    async ({ store }) => {
      if (action === "show") {
        const person = await store.people.findByVolunteerCode(target.toUpperCase());
        if (!person) return (io.error(`No volunteer with code ${target}.`), 1);
        const s = await statement(store, person.id);
        io.log(`${target.toUpperCase()}: given ${s.givenHours} h, balance ${s.balanceHours} h`);
        for (const l of s.lines)
          io.log(
            `${l.at.toISOString()}\t${l.kind}\t${l.hours > 0 ? "+" : ""}${l.hours} h\t${l.id}${l.memo ? `\t${l.memo}` : ""}`,
          );
        return 0;
      }
      const minutes = Number(flags.get("minutes")?.[0]);
      const r = await correctEntry(store, target, minutes, flags.get("reason")?.[0] ?? "", cliActor());
      if (!r.ok) return (io.error(refusalText(r.error, target)), 1);
      const { entry, created } = r.value;
      io.log(
        created ? `correction ${entry.id} recorded` : `already corrected by ${entry.id}; correct that entry instead`,
      );
      return created ? 0 : 1;
    },
    config,
  );
}

/** The operator's words for a refused correction. */
function refusalText(refusal: CorrectionRefusal, entryId: string): string {
  switch (refusal) {
    case "no_entry":
      return `no ledger entry ${entryId}`;
    case "bad_minutes":
      return "minutes must be a whole number ≥ 0";
    case "no_reason":
      return "a correction needs a reason";
    case "no_giver":
      return "the entry credits nobody";
    case "unchanged":
      return "the entry already records that many minutes";
    case "not_divisible":
      return "the entry cannot be corrected by that amount";
  }
}
