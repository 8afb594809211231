import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../../src/store/port/index.js";
import { freshStore } from "./support.js";
import type { Store } from "../../../src/store/port/index.js";

/** The store contract for campaigns, their runs and vows of service: run against every adapter (see `index.ts`). */
export function campaignsContract(open: () => Promise<Store>) {
  let store: Store;
  freshStore(open, (s) => (store = s));

  describe("campaigns and pledges", () => {
    const ramadan = {
      slug: "ramadan-1448",
      template: "ramadan" as const,
      title: "نذر خدمت",
      hijriYear: 1448,
      adjustDays: 1,
      monthDay: null,
      hour: 19,
      segment: { provinces: ["golestan"] },
      createdBy: "cli",
    };

    it("creates, lists, ends; slugs are unique", async () => {
      const c = await store.campaigns.create(ramadan);
      expect(c).toMatchObject({ ...ramadan, status: "active" });
      await expect(store.campaigns.create(ramadan)).rejects.toMatchObject({ name: "DuplicateError", field: "slug" });
      await store.campaigns.create({
        ...ramadan,
        slug: "salam-mahalle",
        template: "monthly",
        hijriYear: null,
        monthDay: 1,
      });
      expect((await store.campaigns.listActive()).map((x) => x.slug)).toEqual(["ramadan-1448", "salam-mahalle"]);
      await store.campaigns.setStatus("ramadan-1448", "ended");
      expect((await store.campaigns.listActive()).map((x) => x.slug)).toEqual(["salam-mahalle"]);
      await expect(store.campaigns.setStatus("nope", "ended")).rejects.toBeInstanceOf(NotFoundError);
    });

    it("reads one campaign by slug", async () => {
      await store.campaigns.create(ramadan);
      expect(await store.campaigns.get("ramadan-1448")).toMatchObject({
        slug: "ramadan-1448",
        template: "ramadan",
        hijriYear: 1448,
        status: "active",
      });
      expect(await store.campaigns.get("nope")).toBeNull();
    });

    it("records each occurrence once, even when two workers race", async () => {
      await store.campaigns.create(ramadan);
      const results = await Promise.all([
        store.campaigns.recordRun("ramadan-1448", "ramadan:7", "b1"),
        store.campaigns.recordRun("ramadan-1448", "ramadan:7", "b2"),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.campaigns.recordRun("ramadan-1448", "ramadan:8", "b3")).toBe(true);
      expect((await store.campaigns.runs("ramadan-1448")).map((r) => r.occurrence)).toEqual(["ramadan:7", "ramadan:8"]);
    });

    it("keeps one vow per person, replaced by a new one, and sums them", async () => {
      await store.campaigns.create(ramadan);
      await store.campaigns.pledge("ramadan-1448", "p1", 10);
      await store.campaigns.pledge("ramadan-1448", "p1", 20);
      await store.campaigns.pledge("ramadan-1448", "p2", 5);
      expect(await store.campaigns.pledgeOf("ramadan-1448", "p1")).toBe(20);
      expect(await store.campaigns.pledgeOf("ramadan-1448", "p3")).toBeNull();
      expect(await store.campaigns.pledgeSummary("ramadan-1448")).toEqual({ people: 2, hours: 25 });
    });
  });
}
