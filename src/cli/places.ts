import type { Config } from "../config.js";
import { resolveTypedCounties } from "../services/places.js";
import { parseArgs } from "./args.js";
import { cliActor } from "./reference.js";
import { withRuntime, type CliIO } from "./runtime.js";

const USAGE = `Usage: hamdel places resolve [--apply]

Finds registered volunteers whose county is typed text, not one of the places dataset's counties. Those whose
text is certainly one county of their province (its name or an alias, however spelled) are listed with it; the rest
are left for a coordinator. An id from before the dataset (kish, a district of Bandar Lengeh) is listed with the county
it lies in. With --apply the certain ones are stored as that county (audited); without it nothing changes.`;

/** `hamdel places resolve`: typed counties turned into the dataset's ids where the match is certain. */
export async function placesCommand(argv: string[], io: CliIO = console, config?: Config): Promise<number> {
  const { rest, switches } = parseArgs(argv);
  if (rest[0] !== "resolve" || rest.length > 1) return (io.error(USAGE), 2);
  const apply = switches.has("apply");
  return withRuntime(
    io,
    async ({ store, logger }) => {
      const found = await resolveTypedCounties({ store, logger }, cliActor(), apply);
      for (const f of found)
        io.log(
          `${f.volunteerCode ?? f.personId}\t${f.province}\t«${f.typed}»\t${f.county ? `→ ${f.county}` : "left for a coordinator"}`,
        );
      const certain = found.filter((f) => f.county).length;
      io.log(
        `${certain} ${apply ? "resolved" : "can be resolved (run again with --apply)"}, ${found.length - certain} left for a coordinator`,
      );
      return 0;
    },
    config,
  );
}
