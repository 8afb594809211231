import { describe, expect, it } from "vitest";
import { centreAccount, personAccount, reversePostings, servicePostings } from "../../../src/domain/ledger.js";
import type { Store } from "../../../src/store/port/index.js";
import { freshStore, timebankFixtures } from "./support.js";

/** The store contract for the time-bank ledger, and veterans by hours: run against every adapter (see `index.ts`). */
export function ledgerContract(open: () => Promise<Store>) {
  let store: Store;
  freshStore(open, (s) => (store = s));
  const { volunteer } = timebankFixtures(() => store);

  describe("ledger", () => {
    const giver = personAccount("p-giver");
    const centre = centreAccount("KSH-PL-01");

    it("posts balanced entries once per key; balances sum to zero", async () => {
      const postings = servicePostings(giver, centre, 90);
      const first = await store.ledger.post({
        key: "service:o1:2026-12-05",
        kind: "service",
        offerId: "o1",
        reverses: null,
        memo: null,
        postings,
        by: "telegram:1",
      });
      const twice = await store.ledger.post({
        key: "service:o1:2026-12-05",
        kind: "service",
        offerId: "o1",
        reverses: null,
        memo: null,
        postings,
        by: "telegram:1",
      });
      expect(first.created).toBe(true);
      expect(twice).toEqual({ entry: first.entry, created: false });
      await store.ledger.post({
        key: "service:o1:2026-12-06",
        kind: "service",
        offerId: "o1",
        reverses: null,
        memo: null,
        postings: servicePostings(giver, centre, 60),
        by: "telegram:1",
      });
      expect(await store.ledger.balance(giver)).toBe(150);
      expect(await store.ledger.balance(centre)).toBe(-150);
      expect(await store.ledger.total()).toBe(0);
      const correction = await store.ledger.post({
        key: `correction:${first.entry.id}`,
        kind: "correction",
        offerId: "o1",
        reverses: first.entry.id,
        memo: "typo",
        postings: reversePostings(postings),
        by: "cli:admin",
      });
      expect(correction.entry.reverses).toBe(first.entry.id);
      expect(await store.ledger.balance(giver)).toBe(60);
      // Hours given are net of corrections: the reversed 90 minutes no longer count.
      expect(await store.ledger.given(giver)).toBe(60);
      expect(await store.ledger.total()).toBe(0);
      const history = await store.ledger.history(giver, 10);
      expect(history).toHaveLength(3);
      expect(await store.ledger.get(first.entry.id)).toEqual(first.entry);
    });

    it("refuses an unbalanced entry", async () => {
      await expect(
        store.ledger.post({
          key: "bad",
          kind: "service",
          offerId: null,
          reverses: null,
          memo: null,
          postings: [
            { account: giver, minutes: 60, side: "giver" },
            { account: centre, minutes: -30, side: "receiver" },
          ],
          by: "x",
        }),
      ).rejects.toThrow(RangeError);
      expect(await store.ledger.total()).toBe(0);
      expect(await store.ledger.history(giver, 10)).toEqual([]);
    });
  });
  describe("veterans by service hours", () => {
    it("counts hours given in the time bank towards the veterans segment", async () => {
      const served = await volunteer({});
      const fresh = await volunteer({});
      await store.ledger.post({
        key: "service:o1:2026-11-01",
        kind: "service",
        offerId: "o1",
        reverses: null,
        memo: null,
        postings: servicePostings(personAccount(served.id), centreAccount("C"), 6 * 60),
        by: "t",
      });
      const ids = async (minHours?: number) =>
        (await store.people.segment({ veterans: { minYears: 5, ...(minHours ? { minHours } : {}) } })).map(
          (r) => r.personId,
        );
      expect(await ids()).toEqual([]);
      expect(await ids(6)).toEqual([served.id]);
      expect(await ids(7)).toEqual([]);
      expect(fresh.id).not.toBe(served.id);
      // At least zero hours: everyone qualifies, with or without a ledger entry.
      const zero = await store.people.segment({ veterans: { minYears: 5, minHours: 0 } });
      expect(zero.map((r) => r.personId).sort()).toEqual([served.id, fresh.id].sort());
    });
  });
}
