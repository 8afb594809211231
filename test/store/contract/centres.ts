import { describe, expect, it } from "vitest";
import type { Store } from "../../../src/store/port/index.js";
import { freshStore, timebankFixtures } from "./support.js";

/** The store contract for centres, institutions and their actions: run against every adapter (see `index.ts`). */
export function centresContract(open: () => Promise<Store>) {
  let store: Store;
  freshStore(open, (s) => (store = s));
  const { CENTRE, seedPlaces } = timebankFixtures(() => store);

  describe("centres and institutions", () => {
    it("upserts and reports inserted versus updated", async () => {
      await seedPlaces();
      expect(await store.centres.getCentre(CENTRE.code)).toEqual(CENTRE);
      const again = await store.centres.upsertCentres([
        { ...CENTRE, name: "Renamed", location: null },
        { ...CENTRE, code: "KSH-IH-01", kind: "infant_home", county: "harsin", location: null },
      ]);
      expect(again).toEqual({ inserted: 1, updated: 1 });
      expect(await store.centres.getCentre(CENTRE.code)).toMatchObject({ name: "Renamed", location: null });
      expect((await store.centres.listCentres({ county: "harsin" })).map((c) => c.code)).toEqual(["KSH-IH-01"]);
      expect((await store.centres.listCentres({ codes: [] })).length).toBe(0);
      expect(await store.centres.listInstitutions({ province: "golestan" })).toEqual([]);
      expect(await store.centres.getInstitution("INST-KSH-1")).toMatchObject({ name: "Institution one" });
    });
  });
  describe("centre actions", () => {
    it("records actions and reads them by centre and date range, oldest first", async () => {
      await seedPlaces();
      await store.centres.upsertCentres([{ ...CENTRE, code: "KSH-PL-02", name: "Centre two" }]);
      const act = (centreCode: string, date: string, participants = 5) =>
        store.centres.reportAction({ centreCode, kind: "iftar", date, participants, reportedBy: "telegram:9" });
      const first = await act(CENTRE.code, "2027-02-10", 12);
      await act(CENTRE.code, "2027-02-08");
      await act("KSH-PL-02", "2027-02-09");
      await act(CENTRE.code, "2027-03-20");
      expect(first).toMatchObject({ centreCode: CENTRE.code, participants: 12, id: expect.any(String) });
      expect(first.createdAt).toBeInstanceOf(Date);
      const got = await store.centres.actions({ centreCodes: [CENTRE.code], from: "2027-02-08", to: "2027-02-10" });
      expect(got.map((a) => a.date)).toEqual(["2027-02-08", "2027-02-10"]);
      expect(got[1]).toEqual(first);
      const both = await store.centres.actions({
        centreCodes: [CENTRE.code, "KSH-PL-02"],
        from: "2027-02-01",
        to: "2027-02-28",
      });
      expect(both.map((a) => a.date)).toEqual(["2027-02-08", "2027-02-09", "2027-02-10"]);
      expect(await store.centres.actions({ centreCodes: [], from: "2027-01-01", to: "2027-12-30" })).toEqual([]);
    });
  });
}
