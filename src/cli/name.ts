import type { Config } from "../config.js";
import { stripBidiControls } from "../domain/normalize.js";
import { meaningfulReason } from "../domain/sessions.js";
import { parseFullName } from "../domain/validation.js";
import { parseArgs } from "./args.js";
import { cliActor } from "./reference.js";
import { withRuntime, type CliIO } from "./runtime.js";

const USAGE = 'Usage: hamdel name <volunteer code> "<first name> <last name>" --reason "<why>"   (e.g. HM-7K3P9Q)';

/**
 * `hamdel name <code> "<name>" --reason …`: a coordinator corrects a volunteer's
 * name of record (the one certificates print; a change in `/profile` does not
 * move it), with a reason, audited. The profile's name follows it.
 */
export async function nameCommand(argv: string[], io: CliIO = console, config?: Config): Promise<number> {
  const { rest, flags } = parseArgs(argv);
  const [code, ...words] = rest;
  const reason = stripBidiControls(flags.get("reason")?.[0] ?? "").text.trim();
  const parsed = parseFullName(stripBidiControls(words.join(" ")).text);
  if (!code || !parsed.ok || !meaningfulReason(reason)) {
    io.error(parsed.ok || !code ? USAGE : `${USAGE}\nThe name: ${parsed.error}`);
    return 2;
  }
  return withRuntime(
    io,
    async ({ store }) => {
      const person = await store.people.findByVolunteerCode(code.toUpperCase());
      if (!person || person.erasedAt || !person.registeredAt) {
        io.error(`No registered volunteer with code ${code}.`);
        return 1;
      }
      const { firstName, lastName } = parsed.value;
      await store.people.update(person.id, { firstName, lastName, registeredName: `${firstName} ${lastName}` });
      await store.access.audit({
        actor: cliActor(),
        action: "person.name_correct",
        scope: person.province ?? "*",
        target: person.volunteerCode,
        outcome: "ok",
        // The reason, not the names: the audit log holds no personal data.
        details: { reason: reason.slice(0, 300) },
      });
      io.log(`${code.toUpperCase()}: name of record corrected; certificates issued from now on carry it`);
      return 0;
    },
    config,
  );
}
