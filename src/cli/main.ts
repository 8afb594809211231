import { doctorCommand } from "./doctor.js";

/** Operator commands: `npm run cli -- <command>` or the `hamdel` bin. */
const COMMANDS: Record<string, { summary: string; run: (args: string[]) => Promise<number> }> = {
  doctor: { summary: "check configuration, stores and bot tokens (getMe)", run: () => doctorCommand() },
};

function usage(): string {
  return [
    "Usage: hamdel <command>",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(12)} ${c.summary}`),
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
