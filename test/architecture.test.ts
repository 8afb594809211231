import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { FIRST_NEW_USER_ID } from "./support/harness.js";
import { STATE_BACKEND_FILES } from "./support/lanes.js";

/** Every `.ts` file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Relative imports (type-only ones too: a circle of types is still a circle to read). */
function importsOf(file: string, known: Set<string>): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+["'](\.[^"']+)["']/g)) {
    const target = normalize(join(dirname(file), m[1]!)).replace(/\.js$/, ".ts");
    const index = target.replace(/\.ts$/, "/index.ts");
    if (known.has(target)) found.push(target);
    else if (known.has(index)) found.push(index);
  }
  return found;
}

/** The groups of files that import each other in a circle (Tarjan's strongly connected components). */
function circles(edges: Map<string, string[]>): string[][] {
  const files = [...edges.keys()];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return out;
}

const graphOf = (files: string[]) => {
  const known = new Set(files);
  return new Map(files.map((f) => [f, importsOf(f, known)]));
};

/**
 * The layer rules: which folders of src/ a folder's files may not import.
 * Shared code lives below its users: the button formats in `domain/`, the
 * outgoing-call guards in `platforms/`, the migration port in `store/port/`,
 * the campaign rules in `services/`.
 */
const LAYERS: { from: string; only?: string[]; not?: string[] }[] = [
  { from: "src/domain/", only: ["src/domain/"] },
  {
    from: "src/services/",
    not: ["src/bot/", "src/console/", "src/scheduler/", "src/runtime/", "src/server/", "src/playground/", "src/cli/"],
  },
  { from: "src/store/", not: ["src/services/", "src/bot/", "src/console/", "src/delivery/", "src/scheduler/"] },
  { from: "src/delivery/", not: ["src/bot/", "src/console/", "src/scheduler/", "src/services/"] },
  { from: "src/platforms/", not: ["src/bot/", "src/console/", "src/services/", "src/store/", "src/delivery/"] },
  { from: "src/state/", not: ["src/bot/", "src/console/", "src/services/", "src/delivery/"] },
  { from: "src/config.ts", not: ["src/state/", "src/store/", "src/services/", "src/bot/"] },
];

/** Every import that breaks a layer rule, as `from → to`. */
function upward(graph: Map<string, string[]>, rules = LAYERS): string[] {
  const out: string[] = [];
  for (const [file, targets] of graph)
    for (const rule of rules) {
      if (!file.startsWith(rule.from)) continue;
      for (const t of targets) {
        const allowed = rule.only ? rule.only.some((p) => t.startsWith(p)) : true;
        const forbidden = rule.not?.some((p) => t.startsWith(p)) ?? false;
        if (!allowed || forbidden) out.push(`${file} → ${t}`);
      }
    }
  return out.sort();
}

describe("the layout", () => {
  it("has no import circle in src/", () => {
    const files = sources("src");
    expect(files.length).toBeGreaterThan(100);
    const graph = graphOf(files);
    // The graph is real: the commands router imports the context, the app imports the bot.
    expect(graph.get("src/bot/features/commands.ts")).toContain("src/bot/context.ts");
    expect(graph.get("src/app.ts")).toContain("src/bot/create-bot.ts");
    expect(circles(graph)).toEqual([]);
  });

  it("has no import up the layers", () => {
    const graph = graphOf(sources("src"));
    // The graph reaches across folders (the delivery engine uses the domain's button formats).
    expect(graph.get("src/delivery/engine.ts")).toContain("src/domain/callback-data.ts");
    expect(upward(graph)).toEqual([]);
  });

  it("finds an import up the layers when there is one (the check itself)", () => {
    const graph = new Map([
      ["src/domain/a.ts", ["src/domain/b.ts", "src/platforms/c.ts"]],
      ["src/services/s.ts", ["src/domain/a.ts", "src/bot/x.ts"]],
      ["src/store/t.ts", ["src/store/port/u.ts"]],
    ]);
    expect(upward(graph)).toEqual(["src/domain/a.ts → src/platforms/c.ts", "src/services/s.ts → src/bot/x.ts"]);
  });

  it("one way in: the chat never writes the store itself, it calls the services the console calls", () => {
    const write =
      /(?:(?:deps\.store|\bstore)\.[a-z]+|\b(?:people|needs|centres|access|ledger|sessions|deliveries|campaigns))\.(?:update|ensure|set[A-Z]\w*|pledge|respond|create|insert\w*|delete\w*|erase|grant|revoke|record\w*|report\w*|upsert\w*|transition|claim\w*|save\w*|mark\w*|withdraw\w*|purge\w*)\(/;
    // The check finds a write when there is one.
    expect(write.test("await ctx.deps.store.people.update(id, {})")).toBe(true);
    expect(write.test("await ctx.deps.store.people.get(id)")).toBe(false);
    // A repository taken into a variable first is still the store.
    expect(write.test("const people = ctx.deps.store.people; await people.ensure(identity)")).toBe(true);
    const writers = sources("src/bot").filter((f) => write.test(readFileSync(f, "utf8")));
    expect(writers).toEqual([]);
  });

  it("platform facts are data: a platform's name is written only where its facts are kept", () => {
    // A third messenger with a Telegram-like API is its name, its capability row, .env.example and the two locales
    // (docs/architecture.md); nothing else may say "telegram" or "bale" in code. The exceptions, each for a reason:
    const allowed = [
      "src/domain/platform.ts", // the list of names
      "src/platforms/capabilities.ts", // the facts, with their sources
      "src/playground/bot-api/simulator.ts", // simulates each known platform's observed refusals (Telegram's by default)
      "src/playground/data/simulated-users.ts", // sample data: the staff personas' platform, as the sample CSVs say
    ];
    const named = /["'`](telegram|bale)["'`]/;
    expect(named.test('platform === "bale"')).toBe(true);
    const files = [...sources("src"), ...readdirSync("src/playground/web").map((f) => `src/playground/web/${f}`)];
    const naming = files.filter((f) => named.test(readFileSync(f, "utf8"))).map((f) => f.split("\\").join("/"));
    expect(naming.filter((f) => !allowed.includes(f))).toEqual([]);
  });

  it("one clock: services, the domain, the engine, the chat and the console's pages never read the machine's time", () => {
    const reads = /Date\.now\(\)|new Date\(\)/;
    expect(reads.test("const t = new Date();")).toBe(true);
    const dirs = ["src/services", "src/domain", "src/delivery", "src/bot", "src/console/routes"];
    const readers = dirs
      .flatMap((d) => sources(d))
      .filter((f) => !f.endsWith("domain/clock.ts"))
      .filter((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .some((l) => reads.test(l) && !/^\s*(\/\/|\*)/.test(l)),
      );
    expect(readers).toEqual([]);
  });

  it("every user id a test names by hand is below the ids newUser() hands out", () => {
    const named = sources("test").flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/\bid: (\d[\d_]*)\b/g)].map((m) => Number(m[1]!.replaceAll("_", ""))),
    );
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((id) => id >= FIRST_NEW_USER_ID && id < FIRST_NEW_USER_ID + 1_000_000)).toEqual([]);
  });

  it("runs every test that depends on the state backend in the Redis lane too", () => {
    const tests = sources("test").filter((f) => f.endsWith(".test.ts"));
    for (const f of STATE_BACKEND_FILES) expect(tests, `${f} is listed but missing`).toContain(f);
    const dependent = tests.filter((f) => /process\.env\.REDIS_URL|state\.kind [!=]==/.test(readFileSync(f, "utf8")));
    expect(dependent.length).toBeGreaterThan(3);
    expect(dependent.filter((f) => !STATE_BACKEND_FILES.includes(f))).toEqual([]);
  });

  it("names, in docs/architecture.md's how-to-add table, files that exist, as many as it counts", () => {
    const doc = readFileSync("docs/architecture.md", "utf8");
    const table = doc.slice(doc.indexOf("## How to add…"));
    // (Padded or not: prettier aligns the columns.)
    const rows = [...table.matchAll(/^\| (A [^|]+?) *\| (\d+) *\| (.+?) *\|$/gm)];
    expect(rows.map((r) => r[1])).toEqual(
      expect.arrayContaining([
        "A conversation",
        "A repository method",
        "A console page",
        "A platform with a Telegram-like API",
      ]),
    );
    for (const [, what, count, list] of rows) {
      const files = [...list!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      expect(files, what).toHaveLength(Number(count));
      for (const f of files) {
        if (!f.includes("<")) {
          expect(statSync(f, { throwIfNoEntry: false })?.isFile(), `${what}: ${f}`).toBe(true);
          continue;
        }
        // `src/console/routes/<page>.ts`: some file of that shape exists.
        const dir = f.slice(0, f.lastIndexOf("/"));
        const shape = new RegExp(
          `^${f
            .slice(dir.length + 1)
            .replace(/[.]/g, "\\.")
            .replace(/<[^>]+>/g, "[^/]+")}$`,
        );
        expect(
          readdirSync(dir).some((n) => shape.test(n)),
          `${what}: ${f}`,
        ).toBe(true);
      }
    }
  });

  it("finds a circle when there is one (the check itself)", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts", "d.ts"]],
      ["d.ts", []],
    ]);
    expect(circles(graph)).toEqual([["a.ts", "b.ts", "c.ts"]]);
    graph.set("c.ts", ["d.ts"]);
    expect(circles(graph)).toEqual([]);
  });
});
