import { describe, expect, it } from "vitest";
import type { NewCheck, Store } from "../../../src/store/port/index.js";
import { freshStore } from "./support.js";

/** The store contract for safeguarding checks: run against every adapter (see `index.ts`). */
export function screeningContract(open: () => Promise<Store>) {
  let store: Store;
  freshStore(open, (s) => (store = s));

  const T = new Date("2026-12-08T08:00:00Z");
  const D = 86_400_000;
  const at = (days: number) => new Date(T.getTime() + days * D);
  const pdf = Buffer.from("%PDF-1.4 clearance of مریم");
  const doc = (over: Partial<NewCheck> = {}): NewCheck => ({
    personId: "person-1",
    requirement: "document:clearance",
    status: "pending",
    institutionCode: "INST-1",
    file: { mime: "application/pdf", bytes: pdf },
    createdAt: T,
    ...over,
  });

  describe("screening checks", () => {
    it("keeps a document's file sealed, out of every list, until it is asked for by id", async () => {
      const c = await store.screening.record(doc());
      expect(c).toMatchObject({
        status: "pending",
        fileMime: "application/pdf",
        fileBytes: pdf.length,
        decidedAt: null,
      });
      expect(JSON.stringify(c)).not.toContain("PDF-1.4");
      expect(JSON.stringify(await store.screening.pending(["INST-1"], 10))).not.toContain("PDF-1.4");
      expect(await store.screening.file(c.id)).toEqual({ mime: "application/pdf", bytes: pdf });
      expect(await store.screening.file("nope")).toBeNull();
    });

    it("a new upload supersedes the pending one; a decision is taken once; pending lists by institution, oldest first", async () => {
      const first = await store.screening.record(doc());
      const second = await store.screening.record(doc({ createdAt: at(1) }));
      expect(await store.screening.get(first.id)).toMatchObject({ status: "rejected", reason: "superseded" });
      await store.screening.record(doc({ personId: "person-2", createdAt: at(0.5) }));
      await store.screening.record(doc({ personId: "person-3", institutionCode: "INST-2" }));
      expect((await store.screening.pending(["INST-1"], 10)).map((c) => c.personId)).toEqual(["person-2", "person-1"]);
      expect(await store.screening.pending([], 10)).toEqual([]);
      const approved = await store.screening.decide(second.id, {
        approve: true,
        by: "telegram:1",
        reason: null,
        expiresAt: at(365),
        at: at(2),
      });
      expect(approved).toMatchObject({ status: "approved", decidedBy: "telegram:1", expiresAt: at(365) });
      expect(
        await store.screening.decide(second.id, {
          approve: false,
          by: "x",
          reason: "late",
          expiresAt: null,
          at: at(3),
        }),
      ).toBeNull();
      expect((await store.screening.of("person-1")).map((c) => c.status)).toEqual(["approved", "rejected"]);
    });

    it("finds who holds every one of a set of requirements, unexpired", async () => {
      const approved = (personId: string, requirement: string, expiresAt: Date | null) =>
        store.screening.record({ personId, requirement, status: "approved", expiresAt, createdAt: T });
      await approved("a", "orientation:infant_care", null);
      await approved("a", "document:clearance", at(30));
      await approved("b", "orientation:infant_care", null);
      await approved("b", "document:clearance", at(-1)); // expired
      await approved("c", "document:clearance", at(30));
      const reqs = ["orientation:infant_care", "document:clearance"];
      expect([...(await store.screening.holders(reqs, T))]).toEqual(["a"]);
      expect([...(await store.screening.holders(reqs, at(31)))]).toEqual([]);
      expect(await store.screening.holders([], T)).toEqual(new Set());
    });

    it("claims each expiry warning once, and drops files decided before a time", async () => {
      const c = await store.screening.record(doc());
      await store.screening.decide(c.id, { approve: true, by: "t:1", reason: null, expiresAt: at(20), at: T });
      const warned = await store.screening.claimExpiryWarnings(at(0), at(30), 30);
      expect(warned.map((w) => [w.id, w.warned])).toEqual([[c.id, [30]]]);
      expect(await store.screening.claimExpiryWarnings(at(0), at(30), 30)).toEqual([]);
      expect((await store.screening.claimExpiryWarnings(at(13), at(21), 7)).map((w) => w.id)).toEqual([c.id]);
      expect(await store.screening.dropFiles(at(-1))).toBe(0);
      expect(await store.screening.dropFiles(at(1))).toBe(1);
      expect(await store.screening.file(c.id)).toBeNull();
      expect(await store.screening.get(c.id)).toMatchObject({
        status: "approved",
        fileMime: null,
        fileDroppedAt: at(1),
      });
    });
  });
}
