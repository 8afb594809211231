import type { Config } from "../config.js";
import { parseJalaliDateTime } from "../domain/jalali-parse.js";
import { registrationFunnel } from "../services/funnel.js";
import { parseArgs } from "./args.js";
import { withRuntime, type CliIO } from "./runtime.js";

const USAGE = 'Usage: hamdel funnel [--since "1405-09-01"]   (a Jalali date, Tehran time)';

/** `hamdel funnel`: per registration step, how many reached it and how many stopped there, from the store. */
export async function funnelCommand(argv: string[], io: CliIO = console, config?: Config): Promise<number> {
  const args = parseArgs(argv);
  const sinceText = args.flags.get("since")?.[0];
  if (args.rest.length > 0 || (args.flags.has("since") && !sinceText)) return (io.error(USAGE), 2);
  return withRuntime(
    io,
    async ({ store, config: rt }) => {
      let since: Date | null = null;
      if (sinceText) {
        const parsed = parseJalaliDateTime(sinceText, rt.timeZone);
        if (!parsed.ok) return (io.error(`Not a date: ${sinceText}. ${USAGE}`), 2);
        since = parsed.value;
      }
      const rows = await registrationFunnel(store, since, null, rt.adminIds);
      io.log(`step\treached\tleft there${since ? `\t(since ${since.toISOString()})` : ""}`);
      for (const r of rows) io.log(`${r.step}\t${r.reached}\t${r.left}`);
      return 0;
    },
    config,
  );
}
