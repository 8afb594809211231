import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  AVAILABILITY_PRESETS,
  isSkill,
  isSlot,
  ROLE_SKILLS,
  ROLES,
  suggestedRoles,
} from "../../src/domain/taxonomy.js";

describe("what registration suggests", () => {
  it("every role is suggested by real skills, and every pattern of days is real slots", () => {
    for (const role of ROLES) {
      expect(ROLE_SKILLS[role.id].length, role.id).toBeGreaterThan(0);
      for (const skill of ROLE_SKILLS[role.id]) expect(isSkill(skill), skill).toBe(true);
    }
    for (const [name, slots] of Object.entries(AVAILABILITY_PRESETS)) {
      expect(slots.length, name).toBeGreaterThan(1);
      for (const slot of slots) expect(isSlot(slot), slot).toBe(true);
    }
  });

  it("suggests the roles the skills point to, in the roles' order, each once", () => {
    expect(suggestedRoles(["infant_care", "childcare"])).toEqual(["mother_helper"]);
    expect(suggestedRoles(["sign_language", "childcare"])).toEqual(["mother_helper", "disability_helper"]);
    expect(suggestedRoles(["cooking"])).toEqual([]);
    expect(suggestedRoles([])).toEqual([]);
  });
});

describe("a pattern of days says what it ticks", () => {
  // Found in the playground: «عصرها» ticked the «شب» slots (the `evening` part), not the «عصر» ones.
  it.each(["fa", "en"])("each pattern of one part of the day is named by that part's own word (%s)", (lang) => {
    const text = JSON.parse(readFileSync(`locales/${lang}.json`, "utf8")) as {
      registration: { preset: Record<string, string> };
      calendar?: { day_part?: Record<string, string> };
    } & Record<string, unknown>;
    const dayParts = findKey(text, "day_part") as Record<string, string>;
    for (const [preset, slots] of Object.entries(AVAILABILITY_PRESETS)) {
      const parts = new Set(slots.map((s) => s.split(".")[1]!));
      if (parts.size !== 1) continue;
      const [part] = parts;
      expect(text.registration.preset[preset]!.toLowerCase(), preset).toContain(dayParts[part!]!.toLowerCase());
    }
  });
});

/** The first object under `key`, anywhere in a locale. */
function findKey(tree: unknown, key: string): unknown {
  if (!tree || typeof tree !== "object") return undefined;
  for (const [k, v] of Object.entries(tree)) {
    if (k === key) return v;
    const found = findKey(v, key);
    if (found !== undefined) return found;
  }
  return undefined;
}
