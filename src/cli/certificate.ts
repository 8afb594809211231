import type { Config } from "../config.js";
import { hoursOf } from "../domain/ledger.js";
import { verifyCertificate } from "../services/service-day/index.js";
import { parseArgs } from "./args.js";
import { withRuntime, type CliIO } from "./runtime.js";

const USAGE = `Usage:
  hamdel certificate verify <code>     (e.g. HMC-7K2Q-D9XW-4M3A-8PRT; Persian digits, spaces and case do not matter)`;

/**
 * `hamdel certificate verify`: what the public page shows, for an operator:
 * the name and hours a certificate states, and whether it is valid. Exit 0
 * when valid, 1 when not (scripts can rely on it).
 */
export async function certificateCommand(argv: string[], io: CliIO = console, config?: Config): Promise<number> {
  const { rest } = parseArgs(argv);
  const [action, ...code] = rest;
  if (action !== "verify" || code.length === 0) return (io.error(USAGE), 2);
  return withRuntime(
    io,
    async ({ store }) => {
      const r = await verifyCertificate(store, code.join(" "));
      if (!r.valid)
        return (
          io.log(
            r.superseded
              ? "not valid: replaced by a newer certificate of the same volunteer"
              : "not valid: no certificate has this code",
          ),
          1
        );
      io.log(`valid: ${r.name}, ${hoursOf(r.minutes)} hours of service`);
      return 0;
    },
    config,
  );
}
