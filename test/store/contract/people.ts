import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DuplicateError, NotFoundError } from "../../../src/store/port/index.js";
import type { Store } from "../../../src/store/port/index.js";
import { timebankFixtures } from "./support.js";

/** The store contract for people and their identities, drafts, erasure, segments and paging: run against every adapter (see `index.ts`). */
export function peopleContract(open: () => Promise<Store>) {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  const bale = (userId: string, chatId = userId) => ({ platform: "bale" as const, userId, chatId });
  afterEach(async () => {
    await store.close();
  });
  const tg = (userId: string, chatId = userId) => ({ platform: "telegram" as const, userId, chatId });
  const { volunteer } = timebankFixtures(() => store);

  describe("people.ensure", () => {
    it("creates a person for a new identity, with defaults", async () => {
      const { person, created } = await store.people.ensure(tg("1"), { language: "fa", source: "salam-mahalle" });
      expect(created).toBe(true);
      expect(person.identities).toEqual([
        expect.objectContaining({ platform: "telegram", userId: "1", chatId: "1", reachable: true }),
      ]);
      expect(person).toMatchObject({
        language: "fa",
        source: "salam-mahalle",
        firstName: null,
        phone: null,
        nationalId: null,
        location: null,
        registeredAt: null,
      });
      expect(person.createdAt).toBeInstanceOf(Date);
      expect(await store.people.count()).toBe(1);
    });

    it("returns the same person for a known identity and refreshes its chat", async () => {
      const first = await store.people.ensure(tg("2", "20"));
      const again = await store.people.ensure(tg("2", "21"), { source: "ignored" });
      expect(again.created).toBe(false);
      expect(again.person.id).toBe(first.person.id);
      expect(again.person.source).toBeNull();
      expect(again.person.identities[0]!.chatId).toBe("21");
      expect(await store.people.count()).toBe(1);
    });

    it("writes nothing for a known identity whose chat is unchanged", async () => {
      const first = await store.people.ensure(tg("4", "40"));
      await new Promise((r) => setTimeout(r, 15));
      const again = await store.people.ensure(tg("4", "40"));
      expect(again.created).toBe(false);
      expect(again.person.updatedAt.getTime()).toBe(first.person.updatedAt.getTime());
      expect((await store.people.get(first.person.id))!.updatedAt.getTime()).toBe(first.person.updatedAt.getTime());
    });

    it("creates exactly one person under concurrent calls", async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => store.people.ensure(tg("3"))));
      expect(new Set(results.map((r) => r.person.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await store.people.count()).toBe(1);
    });

    it("keeps the same user id on two platforms apart", async () => {
      const a = await store.people.ensure(tg("4"));
      const b = await store.people.ensure(bale("4"));
      expect(a.person.id).not.toBe(b.person.id);
      expect((await store.people.findByIdentity({ platform: "bale", userId: "4" }))!.id).toBe(b.person.id);
    });
  });
  describe("people.update", () => {
    it("sets and clears fields and reads them back", async () => {
      const { person } = await store.people.ensure(tg("10"));
      const registeredAt = new Date("2026-11-20T10:00:00.000Z");
      const updated = await store.people.update(person.id, {
        firstName: "مریم",
        lastName: "احمدی",
        phone: "09121234567",
        nationalId: "0012345679",
        birthYear: 1370,
        gender: "female",
        province: "golestan",
        county: "gorgan",
        neighbourhood: "شهرک بهاران",
        location: { lat: 36.84, lon: 54.44 },
        registeredAt,
      });
      expect(updated).toMatchObject({
        firstName: "مریم",
        phone: "09121234567",
        nationalId: "0012345679",
        birthYear: 1370,
        location: { lat: 36.84, lon: 54.44 },
        registeredAt,
      });
      expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(person.updatedAt.getTime());
      const cleared = await store.people.update(person.id, { location: null, phone: null });
      expect(cleared.location).toBeNull();
      expect(cleared.phone).toBeNull();
      expect(cleared.firstName).toBe("مریم");
      expect(await store.people.get(person.id)).toEqual(cleared);
    });

    it("finds people by national ID and by phone through the keyed index", async () => {
      const a = (await store.people.ensure(tg("11"))).person;
      const b = (await store.people.ensure(bale("12"))).person;
      await store.people.update(a.id, { nationalId: "0012345679", phone: "09121234567" });
      await store.people.update(b.id, { phone: "09121234567" });
      expect((await store.people.findByNationalId("0012345679"))!.id).toBe(a.id);
      expect(await store.people.findByNationalId("1111111111")).toBeNull();
      expect((await store.people.findByPhone("09121234567")).map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
      expect(await store.people.findByPhone("09350000000")).toEqual([]);
    });

    it("refuses a national ID that belongs to someone else", async () => {
      const a = (await store.people.ensure(tg("13"))).person;
      const b = (await store.people.ensure(tg("14"))).person;
      await store.people.update(a.id, { nationalId: "0012345679" });
      await expect(store.people.update(b.id, { nationalId: "0012345679" })).rejects.toBeInstanceOf(DuplicateError);
      expect((await store.people.get(b.id))!.nationalId).toBeNull();
      await store.people.update(a.id, { nationalId: null });
      await expect(store.people.update(b.id, { nationalId: "0012345679" })).resolves.toMatchObject({
        nationalId: "0012345679",
      });
    });

    it("throws NotFoundError for an unknown person", async () => {
      await expect(store.people.update("no-such-person", { firstName: "x" })).rejects.toBeInstanceOf(NotFoundError);
      expect(await store.people.get("no-such-person")).toBeNull();
    });
  });
  describe("people.setSourceIfEmpty", () => {
    it("keeps the first source", async () => {
      const { person } = await store.people.ensure(tg("20"));
      expect((await store.people.setSourceIfEmpty(person.id, "centre-111")).source).toBe("centre-111");
      expect((await store.people.setSourceIfEmpty(person.id, "ramadan-1448")).source).toBe("centre-111");
    });
  });
  describe("identities", () => {
    it("links a second platform to a person, once", async () => {
      const { person } = await store.people.ensure(tg("30"));
      const linked = await store.people.linkIdentity(person.id, bale("31"));
      expect(linked.identities.map((i) => i.platform).sort()).toEqual(["bale", "telegram"]);
      expect((await store.people.findByIdentity({ platform: "bale", userId: "31" }))!.id).toBe(person.id);
      const other = (await store.people.ensure(tg("32"))).person;
      await expect(store.people.linkIdentity(other.id, bale("31"))).rejects.toBeInstanceOf(DuplicateError);
      await expect(store.people.linkIdentity("no-such-person", bale("33"))).rejects.toBeInstanceOf(NotFoundError);
    });

    it("refuses to link an identity a second time to the same person", async () => {
      const { person } = await store.people.ensure(tg("34"));
      await store.people.linkIdentity(person.id, bale("35"));
      await expect(store.people.linkIdentity(person.id, bale("35"))).rejects.toBeInstanceOf(DuplicateError);
      await expect(store.people.linkIdentity(person.id, tg("34"))).rejects.toBeInstanceOf(DuplicateError);
      const after = (await store.people.get(person.id))!;
      expect(after.identities.map((i) => `${i.platform}:${i.userId}`).sort()).toEqual(["bale:35", "telegram:34"]);
    });

    it("marks one identity unreachable without touching the other", async () => {
      const { person } = await store.people.ensure(tg("40"));
      await store.people.linkIdentity(person.id, bale("41"));
      await store.people.setReachable({ platform: "telegram", userId: "40" }, false);
      const after = (await store.people.get(person.id))!;
      expect(after.identities.find((i) => i.platform === "telegram")!.reachable).toBe(false);
      expect(after.identities.find((i) => i.platform === "bale")!.reachable).toBe(true);
    });
  });
  describe("volunteer profile", () => {
    it("stores skills, roles, availability, notifications, code and consent", async () => {
      const { person } = await store.people.ensure(tg("50"));
      expect(person).toMatchObject({
        skills: [],
        roles: [],
        availability: null,
        notify: { campaigns: true, matches: true },
        volunteerCode: null,
      });
      const consentAt = new Date("2026-11-25T08:00:00.000Z");
      const updated = await store.people.update(person.id, {
        skills: ["tutoring", "first_aid"],
        roles: ["mother_helper"],
        availability: { slots: ["sat.morning", "thu.evening"], hoursPerWeek: 4 },
        notify: { campaigns: false, matches: true },
        volunteerCode: "HM-ABC234",
        consentAt,
      });
      expect(updated).toMatchObject({
        skills: ["first_aid", "tutoring"],
        roles: ["mother_helper"],
        availability: { slots: ["sat.morning", "thu.evening"], hoursPerWeek: 4 },
        notify: { campaigns: false, matches: true },
        volunteerCode: "HM-ABC234",
        consentAt,
      });
      const replaced = await store.people.update(person.id, { skills: ["cooking"] });
      expect(replaced.skills).toEqual(["cooking"]);
      expect(replaced.roles).toEqual(["mother_helper"]);
    });

    it("keeps each skill and role once", async () => {
      const { person } = await store.people.ensure(tg("59"));
      const p = await store.people.update(person.id, {
        skills: ["driving", "cooking", "driving"],
        roles: ["tutor", "tutor"],
      });
      expect(p.skills).toEqual(["cooking", "driving"]);
      expect(p.roles).toEqual(["tutor"]);
      expect((await store.people.get(person.id))!).toMatchObject({ skills: ["cooking", "driving"], roles: ["tutor"] });
    });

    it("keeps volunteer codes unique", async () => {
      const a = (await store.people.ensure(tg("51"))).person;
      const b = (await store.people.ensure(tg("52"))).person;
      await store.people.update(a.id, { volunteerCode: "HM-ZZZ222" });
      await expect(store.people.update(b.id, { volunteerCode: "HM-ZZZ222" })).rejects.toMatchObject({
        name: "DuplicateError",
        field: "volunteerCode",
      });
    });
  });
  describe("registration drafts", () => {
    it("saves, reads back and clears a draft, sealed like other personal data", async () => {
      const { person } = await store.people.ensure(tg("60"));
      expect(await store.people.getDraft(person.id)).toBeNull();
      const draft = { v: 1 as const, firstName: "علی", phone: "09121234567", nationalId: "0012345679" };
      await store.people.saveDraft(person.id, draft);
      expect(await store.people.getDraft(person.id)).toEqual(draft);
      // The draft does not leak into the profile itself.
      expect((await store.people.get(person.id))!.phone).toBeNull();
      await store.people.saveDraft(person.id, null);
      expect(await store.people.getDraft(person.id)).toBeNull();
      await expect(store.people.saveDraft("no-such-person", draft)).rejects.toBeInstanceOf(NotFoundError);
    });
  });
  describe("erasure", () => {
    it("clears personal data and identities, keeps anonymous fields for counts", async () => {
      const { person } = await store.people.ensure(tg("70"), { source: "centre-9" });
      await store.people.linkIdentity(person.id, bale("71"));
      await store.people.update(person.id, {
        title: "سید",
        firstName: "رضا",
        lastName: "کریمی",
        phone: "09121234567",
        nationalId: "0012345679",
        birthYear: 1365,
        gender: "male",
        province: "khuzestan",
        county: "ahvaz",
        neighbourhood: "کیانپارس",
        location: { lat: 31.3, lon: 48.7 },
        skills: ["driving"],
        roles: ["neighbourhood_helper"],
        volunteerCode: "HM-ERASE2",
        registeredAt: new Date(),
      });
      await store.people.saveDraft(person.id, { v: 1, firstName: "رضا" });
      // The title is kept apart from the first name, and goes with the rest of the name.
      expect((await store.people.get(person.id))!).toMatchObject({ title: "سید", firstName: "رضا" });
      await store.people.erase(person.id);
      const after = (await store.people.get(person.id))!;
      expect(after).toMatchObject({
        identities: [],
        title: null,
        firstName: null,
        lastName: null,
        phone: null,
        nationalId: null,
        birthYear: null,
        neighbourhood: null,
        location: null,
        volunteerCode: null,
        notify: { campaigns: false, matches: false },
        source: "centre-9",
        gender: "male",
        province: "khuzestan",
        county: "ahvaz",
        skills: ["driving"],
        roles: ["neighbourhood_helper"],
      });
      expect(after.erasedAt).toBeInstanceOf(Date);
      expect(after.registeredAt).toBeInstanceOf(Date);
      expect(await store.people.getDraft(person.id)).toBeNull();
      expect(await store.people.findByIdentity({ platform: "telegram", userId: "70" })).toBeNull();
      expect(await store.people.findByNationalId("0012345679")).toBeNull();
      expect(await store.people.findByPhone("09121234567")).toEqual([]);
      // The same person may register again from scratch.
      const again = await store.people.ensure(tg("70"));
      expect(again.created).toBe(true);
      await expect(store.people.update(again.person.id, { nationalId: "0012345679" })).resolves.toBeTruthy();
    });
  });
  describe("erasure of several people", () => {
    it("erases a second and a third person in one store", async () => {
      const ids: string[] = [];
      for (const u of ["72", "73", "74"]) {
        const { person } = await store.people.ensure(tg(u));
        await store.people.update(person.id, { firstName: `n${u}`, registeredAt: new Date() });
        ids.push(person.id);
      }
      for (const id of ids) await store.people.erase(id);
      for (const id of ids) expect((await store.people.get(id))!).toMatchObject({ identities: [], firstName: null });
      // Each may come back, and be erased again.
      const back = await store.people.ensure(tg("72"));
      expect(back.created).toBe(true);
      await store.people.erase(back.person.id);
      expect(await store.people.count()).toBe(4);
    });

    it("transfers an identity after an erasure, leaving a registered person with none", async () => {
      const gone = (await store.people.ensure(tg("75"))).person;
      await store.people.erase(gone.id);
      const a = (await store.people.ensure(tg("76"))).person;
      const b = (await store.people.ensure(bale("77"))).person;
      await store.people.update(b.id, { registeredAt: new Date() });
      const merged = await store.people.transferIdentity({ platform: "bale", userId: "77" }, a.id);
      expect(merged.identities.map((i) => `${i.platform}:${i.userId}`).sort()).toEqual(["bale:77", "telegram:76"]);
      expect((await store.people.get(b.id))!.identities).toEqual([]);
    });
  });
  describe("transferIdentity", () => {
    it("moves an identity to the registered person and drops the empty one", async () => {
      const registered = (await store.people.ensure(tg("80"))).person;
      await store.people.update(registered.id, { registeredAt: new Date(), phone: "09120000000" });
      const temp = (await store.people.ensure(bale("81"))).person;
      const merged = await store.people.transferIdentity({ platform: "bale", userId: "81" }, registered.id);
      expect(merged.identities.map((i) => `${i.platform}:${i.userId}`).sort()).toEqual(["bale:81", "telegram:80"]);
      expect(await store.people.get(temp.id)).toBeNull();
      expect((await store.people.findByIdentity({ platform: "bale", userId: "81" }))!.id).toBe(registered.id);
      expect(await store.people.count()).toBe(1);
    });

    it("keeps the person it leaves when that person is registered", async () => {
      const a = (await store.people.ensure(tg("82"))).person;
      const b = (await store.people.ensure(bale("83"))).person;
      await store.people.update(b.id, { registeredAt: new Date() });
      await store.people.transferIdentity({ platform: "bale", userId: "83" }, a.id);
      expect(await store.people.get(b.id)).not.toBeNull();
      await expect(store.people.transferIdentity({ platform: "bale", userId: "99" }, a.id)).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(
        store.people.transferIdentity({ platform: "telegram", userId: "82" }, "nobody"),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });
  describe("segments", () => {
    const volunteer = async (
      userId: string,
      patch: Parameters<Store["people"]["update"]>[1],
      platform: "telegram" | "bale" = "telegram",
    ) => {
      const { person } = await store.people.ensure({ platform, userId, chatId: `c${userId}` });
      return store.people.update(person.id, { registeredAt: new Date("2026-11-01T00:00:00Z"), ...patch });
    };

    it("selects registered, reachable people with campaign messages on, per identity", async () => {
      const a = await volunteer("s1", {
        province: "golestan",
        county: "gorgan",
        skills: ["cooking"],
        roles: ["tutor"],
        source: "ramadan-1448",
      });
      await store.people.linkIdentity(a.id, bale("s1b", "cs1b"));
      const b = await volunteer("s2", { province: "kermanshah", skills: ["first_aid"], language: "en" });
      await volunteer("s3", { province: "golestan", notify: { campaigns: false, matches: true } });
      await store.people.ensure(tg("s4"));
      const erased = await volunteer("s5", { province: "golestan" });
      await store.people.erase(erased.id);
      const all = await store.people.segment({});
      expect(
        all.map((r) => `${r.personId === a.id ? "a" : r.personId === b.id ? "b" : "?"}:${r.platform}`).sort(),
      ).toEqual(["a:bale", "a:telegram", "b:telegram"]);
      expect(all.find((r) => r.platform === "bale")!.chatId).toBe("cs1b");
      await store.people.setReachable({ platform: "bale", userId: "s1b" }, false);
      expect((await store.people.segment({ provinces: ["golestan"] })).map((r) => r.platform)).toEqual(["telegram"]);
    });

    it("narrows by every field", async () => {
      const a = await volunteer("t1", {
        province: "golestan",
        county: "gorgan",
        skills: ["cooking", "sewing"],
        roles: ["tutor"],
        source: "ramadan-1448",
      });
      const b = await volunteer(
        "t2",
        { province: "kermanshah", county: "paveh", skills: ["first_aid"], language: "en" },
        "bale",
      );
      const ids = async (seg: Parameters<Store["people"]["segment"]>[0]) =>
        (await store.people.segment(seg)).map((r) => r.personId).sort();
      expect(await ids({ provinces: ["golestan", "kermanshah"] })).toEqual([a.id, b.id].sort());
      expect(await ids({ counties: ["paveh"] })).toEqual([b.id]);
      expect(await ids({ skills: ["sewing", "first_aid"] })).toEqual([a.id, b.id].sort());
      expect(await ids({ skills: ["sewing"], provinces: ["kermanshah"] })).toEqual([]);
      expect(await ids({ roles: ["tutor"] })).toEqual([a.id]);
      expect(await ids({ sources: ["ramadan-1448"] })).toEqual([a.id]);
      expect(await ids({ languages: ["fa"] })).toEqual([a.id]);
      expect(await ids({ languages: ["en"] })).toEqual([b.id]);
      expect(await ids({ platforms: ["bale"] })).toEqual([b.id]);
      expect(await ids({ registeredSince: "2026-11-02T00:00:00Z" })).toEqual([]);
      await store.campaigns.create({
        slug: "ramadan-1448",
        template: "ramadan",
        title: "t",
        hijriYear: 1448,
        adjustDays: 0,
        monthDay: null,
        hour: 19,
        segment: {},
        createdBy: null,
      });
      await store.campaigns.pledge("ramadan-1448", b.id, 10);
      expect(await ids({ pledgedIn: ["ramadan-1448"] })).toEqual([b.id]);
      // Veterans: marked, or registered long enough ago.
      expect(await ids({ veterans: { minYears: 3 } })).toEqual([]);
      await store.people.update(a.id, { veteranMarkedAt: new Date() });
      const old = await volunteer("t3", { registeredAt: new Date("2021-01-01T00:00:00Z") });
      expect(await ids({ veterans: { minYears: 3 } })).toEqual([a.id, old.id].sort());
      expect(await ids({ veterans: { minYears: 10 } })).toEqual([a.id]);
      expect(await store.people.findByVolunteerCode("HM-NONE22")).toBeNull();
      await store.people.update(b.id, { volunteerCode: "HM-VET234" });
      expect((await store.people.findByVolunteerCode("HM-VET234"))!.id).toBe(b.id);
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

  describe("people.listRegistered: a coordinator's table", () => {
    it("narrows by county, skill, role, slot, source, date, veterans and a text, each paged the same way", async () => {
      const ids = async (filter: Parameters<Store["people"]["listRegistered"]>[0]) =>
        (await store.people.listRegistered(filter, null, 50)).map((p) => p.id).sort();
      const zahra = await volunteer({
        firstName: "زهرا",
        lastName: "کریمی",
        neighbourhood: "شهرک بهاران",
        volunteerCode: "HM-ABC123",
        county: "eslamabad_gharb",
        skills: ["infant_care", "childcare"],
        roles: ["mother_helper"],
        source: "KSH-POS-01",
        availability: { slots: ["fri.evening"], hoursPerWeek: 2 },
        registeredAt: new Date("2026-11-20T00:00:00Z"),
      });
      const ali = await volunteer({
        firstName: "علی",
        lastName: "رضایی",
        neighbourhood: "الهیه",
        volunteerCode: "HM-XYZ789",
        registeredAt: new Date("2020-01-01T00:00:00Z"),
      });
      const marked = await volunteer({
        firstName: "مریم",
        lastName: "زارعی",
        volunteerCode: "HM-MMM111",
        veteranMarkedAt: new Date(),
      });
      const other = await volunteer({
        firstName: "زهره",
        lastName: "کریمی نژاد",
        province: "golestan",
        county: "gorgan",
      });
      const sorted = (...people: { id: string }[]) => people.map((p) => p.id).sort();

      expect(await ids({ counties: ["eslamabad_gharb"] })).toEqual(sorted(zahra));
      expect(await ids({ skills: ["infant_care", "nursing"] })).toEqual(sorted(zahra));
      expect(await ids({ roles: ["mother_helper"] })).toEqual(sorted(zahra));
      expect(await ids({ slots: ["fri.evening", "thu.morning"] })).toEqual(sorted(zahra));
      expect(await ids({ slots: ["sat.morning"] })).toEqual(sorted(ali, marked, other));
      expect(await ids({ sources: ["KSH-POS-01"] })).toEqual(sorted(zahra));
      expect(await ids({ registeredSince: new Date("2026-11-01T00:00:00Z") })).toEqual(sorted(zahra));
      expect(await ids({ veterans: { minYears: 3 } })).toEqual(sorted(ali, marked));
      // Text: part of a name (across the space too), the neighbourhood, the code in either case.
      expect(await ids({ text: "کریمی" })).toEqual(sorted(zahra, other));
      expect(await ids({ text: "زهرا کری" })).toEqual(sorted(zahra));
      expect(await ids({ text: "بهاران" })).toEqual(sorted(zahra));
      expect(await ids({ text: "hm-xyz" })).toEqual(sorted(ali));
      // A regular expression's characters are plain text.
      expect(await ids({ text: ".*" })).toEqual([]);
      // Together, and within the provinces given.
      expect(await ids({ text: "کریمی", provinces: ["kermanshah"] })).toEqual(sorted(zahra));
      expect(await ids({ text: "کریمی", provinces: ["golestan"], roles: ["mother_helper"] })).toEqual([]);
      // A filtered page continues after its last person.
      const first = await store.people.listRegistered({ provinces: ["kermanshah"] }, null, 2);
      const rest = await store.people.listRegistered(
        { provinces: ["kermanshah"] },
        { registeredAt: first.at(-1)!.registeredAt!, id: first.at(-1)!.id },
        10,
      );
      expect([...first, ...rest].map((p) => p.id).sort()).toEqual(sorted(zahra, ali, marked));
    });
  });

  describe("people.registrationFunnel", () => {
    it("gives each registered person's province and each unfinished draft, since a time, without the erased", async () => {
      const before = new Date(Date.now() - 1000);
      const { person: done } = await store.people.ensure(tg("701"));
      await store.people.update(done.id, { province: "golestan", registeredAt: new Date() });
      const { person: halfway } = await store.people.ensure(tg("702"));
      await store.people.saveDraft(halfway.id, { v: 1, consentAt: new Date().toISOString(), firstName: "زهرا" });
      await store.people.ensure(tg("703"));
      const { person: gone } = await store.people.ensure(tg("704"));
      await store.people.saveDraft(gone.id, { v: 1, consentAt: new Date().toISOString() });
      await store.people.erase(gone.id);
      const all = await store.people.registrationFunnel(null);
      expect(all.registered).toEqual(["golestan"]);
      expect(all.unfinished).toHaveLength(2);
      expect(all.unfinished).toContainEqual({ personId: expect.any(String), draft: null });
      expect(all.unfinished).toContainEqual({
        personId: halfway.id,
        draft: expect.objectContaining({ firstName: "زهرا" }),
      });
      expect((await store.people.registrationFunnel(before)).unfinished).toHaveLength(2);
      expect(await store.people.registrationFunnel(new Date(Date.now() + 60_000))).toEqual({
        registered: [],
        unfinished: [],
      });
    });
  });
}
