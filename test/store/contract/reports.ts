import { describe, expect, it } from "vitest";
import type { Store } from "../../../src/store/port/index.js";
import { freshStore, timebankFixtures } from "./support.js";

/** The store contract for report counts: run against every adapter (see `index.ts`). */
export function reportsContract(open: () => Promise<Store>) {
  let store: Store;
  freshStore(open, (s) => (store = s));
  const { volunteer } = timebankFixtures(() => store);

  describe("report counts", () => {
    it("counts registered volunteers by day, place, source, role and skill, within provinces", async () => {
      const day = (iso: string) => new Date(iso);
      await volunteer({
        registeredAt: day("2026-11-20T10:00:00Z"),
        source: "KSH-POS-01",
        skills: ["cooking", "driving"],
      });
      // 21:00 UTC is already the next day in Tehran (+03:30).
      await volunteer({ registeredAt: day("2026-11-20T21:00:00Z"), source: "KSH-POS-01", county: "harsin" });
      await volunteer({ registeredAt: day("2026-11-22T08:00:00Z"), reachable: false, roles: ["tutor"] });
      await volunteer({ province: "golestan", county: "gorgan", registeredAt: day("2026-11-22T09:00:00Z") });
      const erased = await volunteer({});
      await store.people.erase(erased.id);
      await volunteer({ registeredAt: null });
      const all = await store.reports.registrations({}, day("2026-11-01T00:00:00Z"), "Asia/Tehran");
      expect(all).toMatchObject({ total: 4, reachable: 3 });
      expect(all.byProvince).toEqual([
        { key: "kermanshah", n: 3 },
        { key: "golestan", n: 1 },
      ]);
      const k = await store.reports.registrations(
        { provinces: ["kermanshah"] },
        day("2026-11-01T00:00:00Z"),
        "Asia/Tehran",
      );
      expect(k.total).toBe(3);
      expect(k.byDay).toEqual([
        { key: "2026-11-20", n: 1 },
        { key: "2026-11-21", n: 1 },
        { key: "2026-11-22", n: 1 },
      ]);
      expect(k.byCounty).toEqual([
        { key: "kermanshah", n: 2 },
        { key: "harsin", n: 1 },
      ]);
      expect(k.bySource).toEqual([
        { key: "KSH-POS-01", n: 2 },
        { key: "", n: 1 },
      ]);
      expect(k.byRole).toEqual([
        { key: "neighbourhood_helper", n: 2 },
        { key: "tutor", n: 1 },
      ]);
      expect(k.bySkill).toEqual([
        { key: "cooking", n: 3 },
        { key: "driving", n: 1 },
      ]);
      const recent = await store.reports.registrations(
        { provinces: ["kermanshah"] },
        day("2026-11-20T20:59:00Z"),
        "Asia/Tehran",
      );
      expect(recent.byDay.map((d) => d.key)).toEqual(["2026-11-21", "2026-11-22"]);
    });
  });
  describe("report ties", () => {
    it("orders equal counts by key in code-point order, as SQLite's ORDER BY does", async () => {
      for (const source of ["a-link", "B-link", "ب-link", "آ-link"]) await volunteer({ source });
      const r = await store.reports.registrations({}, new Date("2026-11-01T00:00:00Z"), "Asia/Tehran");
      // Code points: "B" (U+0042) < "a" (U+0061) < "آ" (U+0622) < "ب" (U+0628); a locale's collation puts "a" first.
      expect(r.bySource.map((c) => c.key)).toEqual(["B-link", "a-link", "آ-link", "ب-link"]);
    });
  });
}
