import { describe, expect, it } from "vitest";
import type { Store } from "../../../src/store/port/index.js";
import { freshStore, timebankFixtures } from "./support.js";

/** The store contract for the candidate search, needs and offers: run against every adapter (see `index.ts`). */
export function needsContract(open: () => Promise<Store>) {
  let store: Store;
  freshStore(open, (s) => (store = s));
  const { CENTRE, seedPlaces, volunteer, need, query, NOW } = timebankFixtures(() => store);

  describe("candidate search", () => {
    it("finds only matchable people: registered, reachable, notices on, role, slot and place", async () => {
      await seedPlaces();
      const good = await volunteer({});
      await volunteer({ roles: ["tutor"] }); // wrong role
      await volunteer({ availability: { slots: ["fri.evening"], hoursPerWeek: 2 } }); // no shared slot
      await volunteer({ province: "golestan", county: "gorgan" }); // elsewhere
      await volunteer({ notify: { campaigns: true, matches: false } }); // notices off
      await volunteer({ reachable: false }); // blocked the bot
      await volunteer({ registeredAt: null }); // not registered
      const erased = await volunteer({});
      await store.people.erase(erased.id);
      const found = await store.needs.candidates(query(), 20, NOW);
      expect(found.map((c) => c.row.personId)).toEqual([good.id]);
      expect(found[0]!.reasons.map((r) => r.key)).toContain("role");
    });

    it("keeps the index in step with profile changes", async () => {
      const p = await volunteer({ roles: ["tutor"] });
      expect(await store.needs.candidates(query(), 20, NOW)).toEqual([]);
      await store.people.update(p.id, { roles: ["neighbourhood_helper"] });
      expect((await store.needs.candidates(query(), 20, NOW)).map((c) => c.row.personId)).toEqual([p.id]);
      await store.people.setReachable({ platform: "telegram", userId: p.identities[0]!.userId }, false);
      expect(await store.needs.candidates(query(), 20, NOW)).toEqual([]);
      await store.people.setReachable({ platform: "telegram", userId: p.identities[0]!.userId }, true);
      await store.people.update(p.id, { availability: { slots: ["sun.morning"], hoursPerWeek: 2 } });
      expect(await store.needs.candidates(query(), 20, NOW)).toEqual([]);
    });

    it("searches by skills when the need names no role, and ranks more skills first", async () => {
      const one = await volunteer({ roles: [], skills: ["cooking"] });
      const two = await volunteer({ roles: [], skills: ["cooking", "driving"] });
      await volunteer({ roles: [], skills: ["tutoring"] });
      const found = await store.needs.candidates(query({ role: null, skills: ["cooking", "driving"] }), 20, NOW);
      expect(found.map((c) => c.row.personId)).toEqual([two.id, one.id]);
      expect(found[0]!.row.skillsMatched).toBe(2);
    });

    it("limits county-level needs to the county and prefers the nearer person province-wide", async () => {
      const near = await volunteer({ location: { lat: 34.34, lon: 47.09 } });
      const far = await volunteer({ county: "harsin", location: { lat: 34.27, lon: 47.59 } });
      const county = await store.needs.candidates(query({ reach: "county" }), 20, NOW);
      expect(county.map((c) => c.row.personId)).toEqual([near.id]);
      const wide = await store.needs.candidates(query({ location: { lat: 34.33, lon: 47.08 } }), 20, NOW);
      expect(wide.map((c) => c.row.personId)).toEqual([near.id, far.id]);
      expect(wide[1]!.reasons.find((r) => r.key === "distance")!.points).toBeLessThan(-20);
    });

    it("returns at most the limit, and skips excluded people", async () => {
      const people = await Promise.all(Array.from({ length: 5 }, () => volunteer({})));
      expect(await store.needs.candidates(query(), 3, NOW)).toHaveLength(3);
      const rest = await store.needs.candidates(
        query({ exclude: new Set(people.slice(0, 4).map((p) => p.id)) }),
        3,
        NOW,
      );
      expect(rest.map((c) => c.row.personId)).toEqual([people[4]!.id]);
    });
  });
  describe("needs and offers", () => {
    it("edits a need's count, end date and notes; its status follows the count; never below filled nor once closed", async () => {
      await seedPlaces();
      const v = await volunteer({});
      const n = await store.needs.create(need({ wanted: 1 }));
      const [offer] = await store.needs.createOffers(
        n.id,
        await store.needs.candidates(query(), 5, NOW),
        NOW,
        new Date(NOW.getTime() + 3_600_000),
      );
      await store.needs.answer(offer!.id, v.id, "accept", NOW, null);
      expect((await store.needs.get(n.id))!).toMatchObject({ filled: 1, status: "filled" });
      const more = await store.needs.edit(n.id, { wanted: 3, endDate: "2026-12-31", notes: "کارت ملی" });
      expect(more).toMatchObject({
        wanted: 3,
        filled: 1,
        status: "partly_filled",
        endDate: "2026-12-31",
        notes: "کارت ملی",
      });
      expect(await store.needs.edit(n.id, { wanted: 1, endDate: "2026-12-31", notes: null })).toMatchObject({
        status: "filled",
        notes: null,
      });
      // Fewer than filled: refused, unchanged.
      expect(await store.needs.edit(n.id, { wanted: 0, endDate: "2026-12-31", notes: null })).toBeNull();
      expect((await store.needs.get(n.id))!.wanted).toBe(1);
      await store.needs.transition(n.id, ["filled"], "closed");
      expect(await store.needs.edit(n.id, { wanted: 2, endDate: "2026-12-31", notes: null })).toBeNull();
      const fresh = await store.needs.create(need({ wanted: 2 }));
      expect(await store.needs.edit(fresh.id, { wanted: 4, endDate: "2027-01-10", notes: null })).toMatchObject({
        status: "open",
        wanted: 4,
      });
    });

    it("creates offers once per person per need and counts fairness", async () => {
      await seedPlaces();
      const a = await volunteer({});
      const b = await volunteer({});
      const n = await store.needs.create(need());
      const found = await store.needs.candidates(query(), 20, NOW);
      const expires = new Date(NOW.getTime() + 3_600_000);
      const offers = await store.needs.createOffers(n.id, found, NOW, expires);
      expect(offers).toHaveLength(2);
      expect(offers[0]).toMatchObject({ status: "pending", wave: 1, needId: n.id });
      expect(await store.needs.createOffers(n.id, found, NOW, expires)).toEqual([]);
      expect((await store.needs.get(n.id))!.waves).toBe(2);
      expect(await store.needs.askedFor(n.id)).toEqual(new Set([a.id, b.id]));
      // Asked a moment ago: both now carry a recency penalty for another need.
      const again = await store.needs.candidates(query(), 20, NOW);
      expect(again[0]!.row.lastOfferMs).toBe(NOW.getTime());
      expect(again[0]!.reasons.map((r) => r.key)).toContain("asked_very_recently");
    });

    it("reads offers one by one and per need, in wave and score order", async () => {
      await seedPlaces();
      await volunteer({});
      await volunteer({ skills: ["cooking", "driving"] });
      const n = await store.needs.create(need());
      const found = await store.needs.candidates(query(), 20, NOW);
      const offers = await store.needs.createOffers(n.id, found, NOW, new Date(NOW.getTime() + 3_600_000));
      expect(await store.needs.getOffer(offers[0]!.id)).toEqual(offers[0]);
      expect(await store.needs.getOffer("nope")).toBeNull();
      const listed = await store.needs.offers(n.id);
      expect(listed.map((o) => o.id).sort()).toEqual(offers.map((o) => o.id).sort());
      expect(listed.every((o, i) => i === 0 || listed[i - 1]!.wave < o.wave || listed[i - 1]!.score >= o.score)).toBe(
        true,
      );
      expect(await store.needs.offers("nope")).toEqual([]);
    });

    it("counts every offer in a person's fairness, even when two needs ask them at once", async () => {
      await seedPlaces();
      const a = await volunteer({});
      const needs = await Promise.all([1, 2, 3, 4].map(() => store.needs.create(need())));
      const found = await store.needs.candidates(query(), 20, NOW);
      const expires = new Date(NOW.getTime() + 3_600_000);
      const made = await Promise.all(needs.map((n) => store.needs.createOffers(n.id, found, NOW, expires)));
      expect(made.map((m) => m.length)).toEqual([1, 1, 1, 1]);
      const [again] = await store.needs.candidates(query(), 20, NOW);
      expect(again!.row).toMatchObject({ personId: a.id, recentOffers: 4, lastOfferMs: NOW.getTime() });
      // The same need asked twice at once: one offer, counted once, and two waves.
      const one = await store.needs.create(need());
      const twice = await Promise.all([1, 2].map(() => store.needs.createOffers(one.id, found, NOW, expires)));
      expect(twice.flat()).toHaveLength(1);
      expect((await store.needs.candidates(query(), 20, NOW))[0]!.row.recentOffers).toBe(5);
      expect((await store.needs.get(one.id))!.waves).toBe(2);
    });

    it("takes a place per acceptance, never more than wanted, and frees it on rejection", async () => {
      await seedPlaces();
      const [a, b, c] = [await volunteer({}), await volunteer({}), await volunteer({})];
      const n = await store.needs.create(need({ wanted: 1 }));
      const offers = await store.needs.createOffers(
        n.id,
        await store.needs.candidates(query(), 20, NOW),
        NOW,
        new Date(NOW.getTime() + 3_600_000),
      );
      const of = (id: string) => offers.find((o) => o.personId === id)!;
      const first = await store.needs.answer(of(a.id).id, a.id, "accept", NOW, "INST-KSH-1");
      expect(first).toMatchObject({ type: "answered", need: { filled: 1, status: "filled" } });
      expect(first.offer).toMatchObject({ status: "accepted", institutionCode: "INST-KSH-1" });
      const second = await store.needs.answer(of(b.id).id, b.id, "accept", NOW, "INST-KSH-1");
      expect(second.type).toBe("full");
      expect(await store.needs.answer(of(a.id).id, a.id, "decline", NOW, null)).toMatchObject({ type: "closed" });
      await expect(store.needs.answer(of(a.id).id, b.id, "accept", NOW, null)).rejects.toThrow();
      expect((await store.needs.awaitingDecision(["INST-KSH-1"])).map((o) => o.personId)).toEqual([a.id]);
      const rejected = await store.needs.decide(of(a.id).id, false, "telegram:800", "documents");
      expect(rejected).toMatchObject({
        offer: { status: "rejected", rejectReason: "documents" },
        need: { filled: 0, status: "open" },
      });
      expect(await store.needs.decide(of(a.id).id, true, "telegram:800", null)).toBeNull();
      await store.needs.answer(of(c.id).id, c.id, "accept", NOW, "INST-KSH-1");
      expect(await store.needs.decide(of(c.id).id, true, "telegram:800", null)).toMatchObject({
        offer: { status: "approved", decidedBy: "telegram:800" },
        need: { filled: 1, status: "filled" },
      });
      expect((await store.needs.approvedOf(c.id)).map((o) => o.needId)).toEqual([n.id]);
      // The volunteer gives the place up (a cancelled session): the place is free again, once.
      expect(await store.needs.release(of(c.id).id)).toMatchObject({
        offer: { status: "cancelled" },
        need: { filled: 0, status: "open" },
      });
      expect(await store.needs.release(of(c.id).id)).toBeNull();
      expect(await store.needs.release(of(b.id).id)).toBeNull(); // never approved
    });

    it("gives one place to one of many simultaneous acceptances", async () => {
      await seedPlaces();
      const people = await Promise.all(Array.from({ length: 6 }, () => volunteer({})));
      const n = await store.needs.create(need({ wanted: 1 }));
      const offers = await store.needs.createOffers(
        n.id,
        await store.needs.candidates(query(), 20, NOW),
        NOW,
        new Date(NOW.getTime() + 60_000),
      );
      const outcomes = await Promise.all(offers.map((o) => store.needs.answer(o.id, o.personId, "accept", NOW, null)));
      expect(outcomes.filter((o) => o.type === "answered")).toHaveLength(1);
      expect((await store.needs.get(n.id))!.filled).toBe(1);
      expect(people).toHaveLength(6);
    });

    it("counts declines in a row against a person, and an acceptance clears them", async () => {
      await seedPlaces();
      const a = await volunteer({});
      for (let i = 0; i < 2; i++) {
        const n = await store.needs.create(need());
        const [o] = await store.needs.createOffers(
          n.id,
          await store.needs.candidates(query(), 1, NOW),
          NOW,
          new Date(NOW.getTime() + 60_000),
        );
        await store.needs.answer(o!.id, a.id, "decline", NOW, null);
      }
      expect((await store.needs.candidates(query(), 1, NOW))[0]!.row.declineStreak).toBe(2);
      const n = await store.needs.create(need());
      const [o] = await store.needs.createOffers(
        n.id,
        await store.needs.candidates(query(), 1, NOW),
        NOW,
        new Date(NOW.getTime() + 60_000),
      );
      await store.needs.answer(o!.id, a.id, "accept", NOW, null);
      expect((await store.needs.candidates(query(), 1, NOW))[0]!.row.declineStreak).toBe(0);
    });

    it("expires unanswered offers, withdraws open ones, and expires ended needs", async () => {
      await seedPlaces();
      await volunteer({});
      await volunteer({});
      const n = await store.needs.create(need());
      const offers = await store.needs.createOffers(
        n.id,
        await store.needs.candidates(query(), 20, NOW),
        NOW,
        new Date(NOW.getTime() + 60_000),
      );
      await store.needs.answer(offers[0]!.id, offers[0]!.personId, "later", NOW, null);
      expect(await store.needs.expireOffers(NOW)).toEqual([]);
      const expired = await store.needs.expireOffers(new Date(NOW.getTime() + 60_000));
      expect(expired.map((o) => o.status)).toEqual(["expired", "expired"]);
      const late = await store.needs.answer(
        offers[1]!.id,
        offers[1]!.personId,
        "accept",
        new Date(NOW.getTime() + 61_000),
        null,
      );
      expect(late.type).toBe("closed");
      const m = await store.needs.create(need());
      await store.needs.createOffers(
        m.id,
        await store.needs.candidates(query(), 20, NOW),
        NOW,
        new Date(NOW.getTime() + 60_000),
      );
      expect((await store.needs.withdrawOpen(m.id)).map((o) => o.status)).toEqual(["withdrawn", "withdrawn"]);
      expect((await store.needs.expireEnded("2027-01-01")).map((x) => x.id).sort()).toEqual([m.id, n.id].sort());
      expect((await store.needs.get(n.id))!.status).toBe("expired");
    });

    it("moves a need only from the named statuses", async () => {
      await seedPlaces();
      const n = await store.needs.create(need({ kind: "request", status: "review", requesterId: "p1" }));
      expect(await store.needs.transition(n.id, ["open"], "closed")).toBe(false);
      expect(await store.needs.transition(n.id, ["review"], "rejected", "telegram:1", "not_suitable")).toBe(true);
      expect(await store.needs.get(n.id)).toMatchObject({
        status: "rejected",
        reviewedBy: "telegram:1",
        rejectReason: "not_suitable",
      });
      expect((await store.needs.list({ requesterId: "p1" })).map((x) => x.id)).toEqual([n.id]);
      expect(await store.needs.list({ centreCodes: [] })).toEqual([]);
      expect((await store.needs.list({ centreCodes: [CENTRE.code], statuses: ["rejected"] })).length).toBe(1);
    });
  });
}
