import { broadcastCommand } from "./broadcast.js";
import { campaignCommand } from "./campaign.js";
import { doctorCommand } from "./doctor.js";
import { seedDemoCommand } from "./seed-demo.js";
import { veteranCommand } from "./veteran.js";
import { nameCommand } from "./name.js";
import { importCommand } from "./reference.js";
import { rolesCommand } from "./roles.js";
import { ledgerCommand } from "./ledger.js";
import { placesCommand } from "./places.js";
import { certificateCommand } from "./certificate.js";
import { migrateCommand } from "./migrate.js";
import { PLATFORMS } from "../domain/platform.js";
import { platformCheckCommand } from "./platform-check.js";
import { dbCommand } from "./db.js";
import { funnelCommand } from "./funnel.js";

/** Operator commands: `npm run cli -- <command>` or the `hamdel` bin. */
const COMMANDS: Record<string, { summary: string; run: (args: string[]) => Promise<number> }> = {
  doctor: { summary: "check configuration, stores and bot tokens (getMe)", run: () => doctorCommand() },
  broadcast: {
    summary: 'queue and send a broadcast: --text "…" [segment flags] [--at "1405-12-01 20:00"]',
    run: (a) => broadcastCommand(a),
  },
  campaign: {
    summary: "create, list, report or end campaigns (Ramadan vow of service, monthly Salam Mahalle)",
    run: (a) => campaignCommand(a),
  },
  funnel: {
    summary: 'registration drop-off: per step, how many reached it and how many stopped there [--since "1405-09-01"]',
    run: (a) => funnelCommand(a),
  },
  veteran: {
    summary: "mark or unmark a veteran (pishkesvat) by volunteer code: mark|unmark <code>",
    run: (a) => veteranCommand(a),
  },
  name: {
    summary: 'correct a volunteer\'s name of record (certificates print it): <code> "<first> <last>" --reason "…"',
    run: (a) => nameCommand(a),
  },
  "import-institutions": {
    summary: "import intermediary institutions from CSV: <file.csv> (code,name,province,phone,operators)",
    run: (a) => importCommand("institutions", a),
  },
  "import-centres": {
    summary:
      "import centres from CSV: <file.csv> (code,kind,name,province,county,neighbourhood,address,phone,lat,lon,institution,coordinators)",
    run: (a) => importCommand("centres", a),
  },
  "grant-role": {
    summary: "grant a coordinator role: <platform:userId> <role> <scope>",
    run: (a) => rolesCommand("grant", a),
  },
  "revoke-role": {
    summary: "revoke a coordinator role: <platform:userId> <role> <scope>",
    run: (a) => rolesCommand("revoke", a),
  },
  "list-roles": { summary: "list coordinator roles: [--role R] [--scope S]", run: (a) => rolesCommand("list", a) },
  certificate: {
    summary: "check a certificate of service: verify <code>",
    run: (a) => certificateCommand(a),
  },
  places: {
    summary: "typed counties to the dataset's counties where certain: resolve [--apply] (the rest are listed)",
    run: (a) => placesCommand(a),
  },
  ledger: {
    summary: 'time bank: show <volunteer code> | correct <entry id> --minutes N --reason "…"',
    run: (a) => ledgerCommand(a),
  },
  migrate: {
    summary: 'copy the embedded store into MongoDB: --to "mongodb://…" (idempotent, resumable, verified by counts)',
    run: (a) => migrateCommand(a),
  },
  db: {
    summary: "MongoDB: build the declared indexes (idempotent; before the workers start): indexes [--check]",
    run: (a) => dbCommand(a),
  },
  "platform-check": {
    summary: `compare a platform's real Bot API with the capability table: --platform ${PLATFORMS.join("|")} --chat <your id>`,
    run: (a) => platformCheckCommand(a),
  },
  "seed-demo": {
    summary: `create N synthetic registered volunteers: --volunteers N [--platform ${PLATFORMS.join("|")}]`,
    run: (a) => seedDemoCommand(a),
  },
};

function usage(): string {
  return [
    "Usage: hamdel <command>",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(20)} ${c.summary}`),
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help") {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return 1;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
