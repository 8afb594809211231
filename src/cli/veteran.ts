import type { Config } from "../config.js";
import { parseArgs } from "./args.js";
import { cliActor } from "./reference.js";
import { withRuntime, type CliIO } from "./runtime.js";

const USAGE = "Usage: hamdel veteran mark|unmark <volunteer code>   (e.g. HM-7K3P9Q)";

/** `hamdel veteran mark|unmark <code>`: a coordinator marks a long-serving volunteer (pishkesvat). */
export async function veteranCommand(argv: string[], io: CliIO = console, config?: Config): Promise<number> {
  const [action, code] = parseArgs(argv).rest;
  if ((action !== "mark" && action !== "unmark") || !code) {
    io.error(USAGE);
    return 2;
  }
  return withRuntime(
    io,
    async ({ store }) => {
      const person = await store.people.findByVolunteerCode(code.toUpperCase());
      if (!person || person.erasedAt) {
        io.error(`No volunteer with code ${code}.`);
        return 1;
      }
      await store.people.update(person.id, { veteranMarkedAt: action === "mark" ? new Date() : null });
      await store.access.audit({
        actor: cliActor(),
        action: `veteran.${action}`,
        scope: person.province ?? "*",
        target: person.volunteerCode,
        outcome: "ok",
        details: null,
      });
      io.log(`${code.toUpperCase()} ${action === "mark" ? "marked as a veteran" : "no longer marked as a veteran"}`);
      return 0;
    },
    config,
  );
}
