import { describe, expect, it } from "vitest";
import type { NewSession, Store } from "../../../src/store/port/index.js";
import { freshStore } from "./support.js";

/** The store contract for the day of service's sessions and certificates: run against every adapter (see `index.ts`). */
export function sessionsContract(open: () => Promise<Store>) {
  let store: Store;
  freshStore(open, (s) => (store = s));

  const T = Date.parse("2026-12-08T04:30:00Z"); // 08:00 in Tehran
  const H = 3_600_000;
  const session = (over: Partial<NewSession> = {}): NewSession => ({
    offerId: "offer-1",
    needId: "need-1",
    personId: "person-1",
    centreCode: "KSH-PL-01",
    date: "2026-12-08",
    part: "morning",
    startsAt: new Date(T),
    endsAt: new Date(T + 4 * H),
    ...over,
  });

  describe("sessions", () => {
    it("makes each offer's date and part once, and lists by person, centre, status and time", async () => {
      const made = await store.sessions.create([
        session(),
        session({ date: "2026-12-15", startsAt: new Date(T + 168 * H), endsAt: new Date(T + 172 * H) }),
        session({ offerId: "offer-2", personId: "person-2", centreCode: "KSH-PL-02" }),
      ]);
      expect(made).toHaveLength(3);
      expect(made[0]).toMatchObject({ status: "scheduled", reminded: {}, minutes: null, creditKey: null });
      expect(await store.sessions.create([session()])).toEqual([]); // the same offer, date and part
      expect(await store.sessions.get(made[0]!.id)).toEqual(made[0]);
      const ids = (f: Parameters<Store["sessions"]["list"]>[0]) =>
        store.sessions.list(f, 10).then((r) => r.map((s) => s.date + ":" + s.personId));
      expect(await ids({ personId: "person-1" })).toEqual(["2026-12-08:person-1", "2026-12-15:person-1"]);
      expect(await ids({ centreCodes: ["KSH-PL-02"] })).toEqual(["2026-12-08:person-2"]);
      expect(await ids({ startsFrom: new Date(T + H) })).toEqual(["2026-12-15:person-1"]);
      expect(await ids({ startsBefore: new Date(T + H), statuses: ["scheduled"] })).toHaveLength(2);
      expect(await ids({ endsBefore: new Date(T + 5 * H) })).toHaveLength(2);
      expect(await ids({ offerId: "offer-2" })).toEqual(["2026-12-08:person-2"]);
      expect(await store.sessions.list({}, 1)).toHaveLength(1);
    });

    it("moves a session only from the statuses given, with its fields; patches only within", async () => {
      const [s] = await store.sessions.create([session()]);
      const at = new Date(T + 5 * 60_000);
      const inside = await store.sessions.move(s!.id, ["scheduled", "confirmed"], "checked_in", {
        checkInAt: at,
        checkInBy: "self",
      });
      expect(inside).toMatchObject({ status: "checked_in", checkInAt: at, checkInBy: "self" });
      expect(await store.sessions.move(s!.id, ["scheduled"], "checked_in")).toBeNull();
      const out = await store.sessions.move(s!.id, ["checked_in"], "checked_out", { checkOutAt: at, minutes: 170 });
      expect(out).toMatchObject({ status: "checked_out", minutes: 170 });
      expect(await store.sessions.patch(s!.id, ["checked_in"], { minutes: 1 })).toBeNull();
      const fixed = await store.sessions.patch(s!.id, ["checked_out"], {
        minutes: 180,
        correctedBy: "telegram:7",
        correctionReason: "came early",
      });
      expect(fixed).toMatchObject({ status: "checked_out", minutes: 180, correctionReason: "came early" });
      const moved = await store.sessions.move(s!.id, ["checked_out"], "crediting", {
        creditKey: "k1",
        creditedBy: "t:7",
      });
      expect(moved).toMatchObject({ status: "crediting", creditKey: "k1", creditedBy: "t:7" });
      expect((await store.sessions.list({ creditKey: "k1" }, 5)).map((x) => x.id)).toEqual([s!.id]);
    });

    it("gives a session's credit claim and each reminder to one of simultaneous claimants", async () => {
      const [s] = await store.sessions.create([session()]);
      await store.sessions.move(s!.id, ["scheduled"], "checked_out", { minutes: 60 });
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          store.sessions.move(s!.id, ["checked_out"], "crediting", { creditKey: `k${i}`, creditedBy: "t:7" }),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      const at = new Date(T - 47 * H);
      const reminders = await Promise.all(
        Array.from({ length: 6 }, () => store.sessions.claimReminder(s!.id, "d2", at, ["crediting"])),
      );
      expect(reminders.filter(Boolean)).toHaveLength(1);
    });

    it("claims each reminder once, only within the statuses given", async () => {
      const [s] = await store.sessions.create([session()]);
      const at = new Date(T - 47 * H);
      expect(await store.sessions.claimReminder(s!.id, "d2", at, ["scheduled"])).toBe(true);
      expect(await store.sessions.claimReminder(s!.id, "d2", at, ["scheduled"])).toBe(false);
      expect((await store.sessions.get(s!.id))!.reminded).toEqual({ d2: at });
      expect(await store.sessions.claimReminder(s!.id, "h2", at, ["confirmed"])).toBe(false);
      expect(await store.sessions.claimReminder(s!.id, "h2", at, ["scheduled"])).toBe(true);
      expect(Object.keys((await store.sessions.get(s!.id))!.reminded).sort()).toEqual(["d2", "h2"]);
    });

    it("lists the sessions a reminder was not sent for, and the centres with sessions in a span, each once", async () => {
      const made = await store.sessions.create([
        session(),
        session({ offerId: "offer-2", personId: "person-2" }),
        session({ offerId: "offer-3", personId: "person-3", centreCode: "KSH-PL-02" }),
        session({ date: "2026-12-15", startsAt: new Date(T + 168 * H), endsAt: new Date(T + 172 * H) }),
      ]);
      await store.sessions.claimReminder(made[0]!.id, "d2", new Date(T - 47 * H), ["scheduled"]);
      const due = await store.sessions.list({ startsBefore: new Date(T + H), notReminded: "d2" }, 10);
      expect(due.map((s) => s.personId).sort()).toEqual(["person-2", "person-3"]);
      expect(await store.sessions.list({ notReminded: "h2" }, 10)).toHaveLength(4);
      expect(await store.sessions.centresWithSessions(new Date(T - H), new Date(T + H))).toEqual([
        "KSH-PL-01",
        "KSH-PL-02",
      ]);
      expect(await store.sessions.centresWithSessions(new Date(T + H), new Date(T + 24 * H))).toEqual([]);
    });

    it("cancels an offer's sessions from a time on, in the statuses given", async () => {
      const made = await store.sessions.create([
        session(),
        session({ date: "2026-12-15", startsAt: new Date(T + 168 * H), endsAt: new Date(T + 172 * H) }),
        session({ date: "2026-12-22", startsAt: new Date(T + 336 * H), endsAt: new Date(T + 340 * H) }),
      ]);
      await store.sessions.move(made[2]!.id, ["scheduled"], "checked_in");
      const at = new Date(T + 100 * H);
      const cancelled = await store.sessions.cancelFrom("offer-1", made[1]!.startsAt, ["scheduled", "confirmed"], at);
      expect(cancelled.map((s) => s.date)).toEqual(["2026-12-15"]);
      expect(cancelled[0]).toMatchObject({ status: "cancelled", cancelledAt: at });
      expect((await store.sessions.get(made[0]!.id))!.status).toBe("scheduled");
      expect((await store.sessions.get(made[2]!.id))!.status).toBe("checked_in");
    });
  });

  describe("certificates", () => {
    it("keeps what a certificate stated under its code", async () => {
      const issued = {
        code: "HMC-AAAAA-BBBBB",
        personId: "p1",
        name: "نرگس احمدی",
        minutes: 170,
        issuedAt: new Date(T),
      };
      expect(await store.certificates.issue(issued)).toEqual({ ...issued, supersededBy: null });
      expect(await store.certificates.get("HMC-AAAAA-BBBBB")).toEqual({ ...issued, supersededBy: null });
      await store.certificates.issue({ ...issued, code: "HMC-CCCCC-DDDDD", minutes: 200, issuedAt: new Date(T + H) });
      // The newer one replaces it; another person's certificate is untouched.
      await store.certificates.issue({ ...issued, personId: "p2", code: "HMC-EEEEE-FFFFF" });
      expect(await store.certificates.get("HMC-AAAAA-BBBBB")).toEqual({ ...issued, supersededBy: "HMC-CCCCC-DDDDD" });
      expect((await store.certificates.get("HMC-CCCCC-DDDDD"))!.supersededBy).toBeNull();
      expect((await store.certificates.get("HMC-EEEEE-FFFFF"))!.supersededBy).toBeNull();
      expect(await store.certificates.get("HMC-00000-00000")).toBeNull();
      expect((await store.certificates.of("p1")).map((c) => c.code)).toEqual(["HMC-CCCCC-DDDDD", "HMC-AAAAA-BBBBB"]);
      await expect(store.certificates.issue(issued)).rejects.toThrow(); // a code is never reused
    });
  });
}
