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
