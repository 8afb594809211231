import { describe, expect, it } from "vitest";
import fa from "../locales/fa.json" with { type: "json" };
import en from "../locales/en.json" with { type: "json" };

const keys = (o: object, prefix = ""): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

const placeholders = (s: string) => [...s.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();

describe("locales", () => {
  it("Persian and English have the same keys", () => {
    expect(keys(en).sort()).toEqual(keys(fa).sort());
  });

  it("each translation uses the same placeholders", () => {
    const get = (o: object, path: string) => path.split(".").reduce<any>((x, k) => x[k], o) as string;
    for (const key of keys(fa)) expect(placeholders(get(en, key)), key).toEqual(placeholders(get(fa, key)));
  });

  it("no Persian text is empty", () => {
    const get = (o: object, path: string) => path.split(".").reduce<any>((x, k) => x[k], o) as string;
    for (const key of keys(fa)) expect(get(fa, key).length, key).toBeGreaterThan(0);
  });

  it("every command in the Persian texts starts its own line, where no client can show it reversed («help/»)", () => {
    // Inside a right-to-left line a bare «/help» after Persian words is drawn «help/» (the slash takes the line's
    // direction), and Bale's clients may not tap a command after an isolate; at a line's start it is neither.
    const get = (o: object, path: string) => path.split(".").reduce<any>((x, k) => x[k], o) as string;
    const inside = keys(fa).flatMap((key) =>
      get(fa, key)
        .split("\n")
        .filter((line) => [...line.matchAll(/(?<![\w/])\/[a-z_]+/g)].some((m) => line.slice(0, m.index).trim() !== ""))
        .map((line) => `${key}: ${line}`),
    );
    expect(inside).toEqual([]);
  });
});
