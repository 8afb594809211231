import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { centreAccount, personAccount, servicePostings, reversePostings } from "../../src/domain/ledger.js";
import type { Centre, NewNeed, PersonPatch, Store } from "../../src/store/port/index.js";
import { candidateQuery, newNeed } from "../support/fixtures.js";

/**
 * The store contract, second half: reference data, needs and offers, the
 * candidate search, the ledger, grants and the audit log. Run against every
 * adapter alongside `storeContract`.
 */
export function timebankContract(open: () => Promise<Store>) {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  const CENTRE: Centre = {
    code: "KSH-PL-01",
    kind: "positive_life",
    name: "Centre one",
    province: "kermanshah",
    county: "kermanshah",
    neighbourhood: "Elahiyeh",
    address: "Street 1",
    phone: "08338000000",
    location: { lat: 34.33, lon: 47.08 },
    institutionCode: "INST-KSH-1",
  };

  const seedPlaces = async () => {
    await store.centres.upsertInstitutions([
      { code: "INST-KSH-1", name: "Institution one", province: "kermanshah", phone: null },
    ]);
    await store.centres.upsertCentres([CENTRE]);
  };

  let next = 0;
  const volunteer = async (patch: PersonPatch & { reachable?: boolean }) => {
    const userId = `v${++next}`;
    const { person } = await store.people.ensure({ platform: "telegram", userId, chatId: userId });
    const { reachable, ...rest } = patch;
    const p = await store.people.update(person.id, {
      registeredAt: new Date("2026-10-01T00:00:00Z"),
      province: "kermanshah",
      county: "kermanshah",
      roles: ["neighbourhood_helper"],
      skills: ["cooking"],
      availability: { slots: ["sat.morning", "mon.evening"], hoursPerWeek: 4 },
      ...rest,
    });
    if (reachable === false) await store.people.setReachable({ platform: "telegram", userId }, false);
    return p;
  };

  const need = (over: Partial<NewNeed> = {}): NewNeed => newNeed({ centreCode: CENTRE.code, ...over });

  const query = candidateQuery;

  const NOW = new Date("2026-11-25T10:00:00Z");

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

  describe("invitations", () => {
    const invite = (id: string, expiresAt: Date) => ({
      id,
      role: "centre_coordinator" as const,
      scope: CENTRE.code,
      createdBy: "telegram:1",
      expiresAt,
    });

    it("redeems an invitation once; a used, expired or unknown one says so", async () => {
      const made = await store.access.createInvite(invite("i1", new Date(NOW.getTime() + 60_000)));
      expect(made).toMatchObject({ id: "i1", usedBy: null });
      expect(await store.access.redeemInvite("i1", "telegram:5", NOW)).toMatchObject({
        type: "redeemed",
        invite: { id: "i1", usedBy: "telegram:5", role: "centre_coordinator", scope: CENTRE.code },
      });
      expect(await store.access.redeemInvite("i1", "telegram:6", NOW)).toMatchObject({
        type: "used",
        invite: { usedBy: "telegram:5" },
      });
      await store.access.createInvite(invite("i2", new Date(NOW.getTime() - 1)));
      expect(await store.access.redeemInvite("i2", "telegram:5", NOW)).toMatchObject({ type: "expired" });
      expect(await store.access.redeemInvite("nope", "telegram:5", NOW)).toEqual({ type: "unknown" });
    });

    it("gives one link to exactly one of many people opening it at once", async () => {
      await store.access.createInvite(invite("i3", new Date(NOW.getTime() + 60_000)));
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.access.redeemInvite("i3", `telegram:${20 + i}`, NOW)),
      );
      const won = outcomes.filter((o) => o.type === "redeemed");
      expect(won).toHaveLength(1);
      expect(outcomes.filter((o) => o.type === "used")).toHaveLength(7);
      expect(await store.access.openInvites(NOW)).toEqual([]);
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

  describe("listing registered people", () => {
    it("pages through registered, not erased people of the provinces, oldest first", async () => {
      const a = await volunteer({ registeredAt: new Date("2026-11-01T00:00:00Z") });
      const b = await volunteer({ registeredAt: new Date("2026-11-02T00:00:00Z") });
      const c = await volunteer({
        registeredAt: new Date("2026-11-03T00:00:00Z"),
        province: "golestan",
        county: "gorgan",
      });
      const gone = await volunteer({});
      await store.people.erase(gone.id);
      await volunteer({ registeredAt: null });
      expect((await store.people.listRegistered({}, null, 10)).map((p) => p.id)).toEqual([a.id, b.id, c.id]);
      const afterA = { registeredAt: new Date("2026-11-01T00:00:00Z"), id: a.id };
      expect((await store.people.listRegistered({ provinces: ["kermanshah"] }, afterA, 10)).map((p) => p.id)).toEqual([
        b.id,
      ]);
      expect((await store.people.listRegistered({}, null, 2)).map((p) => p.id)).toEqual([a.id, b.id]);
      // Keyset pages: each starts after the last one's (registeredAt, id); ties on time are broken by id.
      const twin = await volunteer({ registeredAt: new Date("2026-11-02T00:00:00Z") });
      const pages: string[][] = [];
      for (let after = null as { registeredAt: Date; id: string } | null; ;) {
        const page = await store.people.listRegistered({}, after, 2);
        if (page.length === 0) break;
        pages.push(page.map((p) => p.id));
        after = { registeredAt: page.at(-1)!.registeredAt!, id: page.at(-1)!.id };
      }
      const [first, second] = [b.id, twin.id].sort();
      expect(pages.flat()).toEqual([a.id, first, second, c.id]);
    });
  });

  describe("grants and the audit log", () => {
    it("grants once, lists, revokes", async () => {
      const ref = { platform: "bale" as const, userId: "55" };
      expect(
        await store.access.grant({ ...ref, role: "centre_coordinator", scope: "KSH-PL-01", grantedBy: "cli" }),
      ).toBe(true);
      expect(
        await store.access.grant({ ...ref, role: "centre_coordinator", scope: "KSH-PL-01", grantedBy: "cli" }),
      ).toBe(false);
      await store.access.grant({ ...ref, role: "institution_operator", scope: "INST-KSH-1", grantedBy: "cli" });
      expect((await store.access.grantsOf(ref)).map((g) => `${g.role}@${g.scope}`)).toEqual([
        "centre_coordinator@KSH-PL-01",
        "institution_operator@INST-KSH-1",
      ]);
      expect(
        (await store.access.list({ role: "institution_operator", scope: "INST-KSH-1" })).map((g) => g.userId),
      ).toEqual(["55"]);
      expect(await store.access.revoke(ref, "centre_coordinator", "KSH-PL-01")).toBe(true);
      expect(await store.access.revoke(ref, "centre_coordinator", "KSH-PL-01")).toBe(false);
      expect(await store.access.grantsOf({ platform: "telegram", userId: "55" })).toEqual([]);
    });

    it("records actions newest first and filters by actor", async () => {
      await store.access.audit({
        actor: "telegram:1",
        action: "need.post",
        scope: "KSH-PL-01",
        target: "n1",
        outcome: "ok",
        details: { wanted: 2 },
      });
      await store.access.audit({
        actor: "telegram:2",
        action: "offer.approve",
        scope: "INST-KSH-1",
        target: "o1",
        outcome: "refused",
        details: null,
      });
      const log = await store.access.auditLog({ limit: 10 });
      expect(log.map((r) => r.action)).toEqual(["offer.approve", "need.post"]);
      expect(log[1]).toMatchObject({ details: { wanted: 2 }, outcome: "ok" });
      expect((await store.access.auditLog({ actor: "telegram:1", limit: 10 })).map((r) => r.target)).toEqual(["n1"]);
    });
  });
}
