import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

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
