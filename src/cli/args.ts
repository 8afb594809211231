/** Parses `--flag value` and `--switch` arguments (repeatable flags collect, comma lists split). */
export function parseArgs(argv: string[]): { flags: Map<string, string[]>; switches: Set<string>; rest: string[] } {
  const flags = new Map<string, string[]>();
  const switches = new Set<string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      rest.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--") ? argv[++i] : undefined);
    if (value === undefined) switches.add(name);
    else flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { flags, switches, rest };
}

export const listFlag = (flags: Map<string, string[]>, name: string): string[] | undefined => {
  const values = flags.get(name)?.flatMap((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
  return values?.length ? values : undefined;
};
