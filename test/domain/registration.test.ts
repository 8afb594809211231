import { describe, expect, it } from "vitest";
import { firstMissingStep, isComplete, previousStep, type RegistrationDraft } from "../../src/domain/registration.js";
import { countiesOf, isProvince, isSkill, isSlot, PROVINCES, ROLES, centreKindOf } from "../../src/domain/taxonomy.js";
import fa from "../../locales/fa.json" with { type: "json" };
import en from "../../locales/en.json" with { type: "json" };
import { createI18n } from "../../src/i18n.js";

describe("registration steps", () => {
  it("resumes at the first unanswered step", () => {
    expect(firstMissingStep({ v: 1 })).toBe("consent");
    expect(firstMissingStep({ v: 1, consentAt: "x", firstName: "a", lastName: "b" })).toBe("phone");
    const full: RegistrationDraft = {
      v: 1,
      consentAt: "x",
      firstName: "a",
      lastName: "b",
      phone: "09121234567",
      nationalId: "0012345679",
      birthYear: 1370,
      gender: "female",
      province: "golestan",
      county: "gorgan",
      neighbourhood: "n",
      skills: ["cooking"],
      roles: [],
      availability: { slots: ["sat.morning"], hoursPerWeek: 2 },
    };
    expect(firstMissingStep(full)).toBe("summary");
    expect(isComplete(full)).toBe(true);
    expect(firstMissingStep({ ...full, skills: [] })).toBe("skills");
    expect(previousStep("phone")).toBe("name");
    expect(previousStep("consent")).toBeUndefined();
  });
});

describe("taxonomy", () => {
  it("has all 31 provinces and every one of Iran's 479 counties, labelled in both languages", async () => {
    expect(PROVINCES).toHaveLength(31);
    expect(PROVINCES.reduce((n, p) => n + p.counties.length, 0)).toBe(479);
    // Golestan's list offers all 14 (it offered 9 before the dataset).
    expect(countiesOf("golestan")).toHaveLength(14);
    expect(countiesOf("golestan")).toContain("ramian");
    const i18n = await createI18n();
    for (const lng of ["fa", "en"] as const) {
      const t = i18n.t(lng);
      for (const p of PROVINCES) {
        expect(lng === "fa" ? fa.taxonomy.province : en.taxonomy.province).toHaveProperty(p.id);
        for (const c of p.counties)
          expect(t(`taxonomy.county.${p.id}.${c}`), `${lng}: ${p.id}.${c}`).not.toContain(".");
      }
    }
    // A locale's own label stays; the dataset names the rest.
    expect(i18n.t("fa")("taxonomy.county.gilan.talesh")).toBe("تالش");
    expect(i18n.t("fa")("taxonomy.county.golestan.ramian")).toBe("رامیان");
    expect(i18n.t("en")("taxonomy.county.kermanshah.salas_babajani")).toMatch(/Salas/);
    expect(countiesOf("khorasan_south")).toContain("birjand");
    expect(isProvince("kermanshah")).toBe(true);
    expect(isProvince("atlantis")).toBe(false);
  });

  it("ties each role to a kind of centre; the mother-helper serves infant homes", () => {
    expect(centreKindOf("mother_helper")).toBe("infant_home");
    expect(fa.taxonomy.role.mother_helper).toBe("مادریار");
    for (const r of ROLES) expect(fa.taxonomy.centre_kind).toHaveProperty(r.centreKind);
  });

  it("validates skills and slots", () => {
    expect(isSkill("sign_language")).toBe(true);
    expect(isSkill("juggling")).toBe(false);
    expect(isSlot("fri.evening")).toBe(true);
    expect(isSlot("fri.midnight")).toBe(false);
  });
});
