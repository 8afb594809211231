import { describe, expect, it } from "vitest";
import type { Store } from "../../../src/store/port/index.js";
import { freshStore, timebankFixtures } from "./support.js";

/** The store contract for invitations, grants and the audit log: run against every adapter (see `index.ts`). */
export function accessContract(open: () => Promise<Store>) {
  let store: Store;
  freshStore(open, (s) => (store = s));
  const { CENTRE, NOW } = timebankFixtures(() => store);

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

    it("claims a one-time key once until it lapses, however many ask at once", async () => {
      const now = new Date("2026-12-07T10:00:00Z");
      const until = new Date(now.getTime() + 60_000);
      const tries = await Promise.all(Array.from({ length: 6 }, () => store.access.claimOnce("link:n1", until, now)));
      expect(tries.filter(Boolean)).toHaveLength(1);
      expect(await store.access.claimed("link:n1", now)).toBe(true);
      expect(await store.access.claimed("link:n2", now)).toBe(false);
      expect(await store.access.claimOnce("link:n2", until, now)).toBe(true);
      // Once lapsed it is free again (a key is never reused by a link: its nonce is random).
      const later = new Date(until.getTime() + 1000);
      expect(await store.access.claimed("link:n1", later)).toBe(false);
      expect(await store.access.claimOnce("link:n1", new Date(later.getTime() + 60_000), later)).toBe(true);
      expect(await store.access.claimOnce("link:n1", new Date(later.getTime() + 60_000), later)).toBe(false);
    });

    it("refusals collapse per actor, action and target: four probed targets are four records", async () => {
      const refuse = (target: string | null) =>
        store.access.audit({
          actor: "bale:9",
          action: "phone.lookup",
          scope: "*",
          target,
          outcome: "refused",
          details: null,
        });
      for (const target of ["t1", "t2", "t1", "t3", "t4", "t1", null, null]) await refuse(target);
      const log = await store.access.auditLog({ actor: "bale:9", limit: 10 });
      const counts = Object.fromEntries(log.map((r) => [String(r.target), r.count]));
      expect(counts).toEqual({ t1: 3, t2: 1, t3: 1, t4: 1, null: 2 });
      // An "ok" between two refusals of one target starts a new record.
      await store.access.audit({
        actor: "bale:9",
        action: "phone.lookup",
        scope: "*",
        target: "t2",
        outcome: "ok",
        details: null,
      });
      await refuse("t2");
      const t2 = (await store.access.auditLog({ actor: "bale:9", limit: 20 })).filter((r) => r.target === "t2");
      expect(t2.map((r) => [r.outcome, r.count])).toEqual([
        ["refused", 1],
        ["ok", 1],
        ["refused", 1],
      ]);
    });
  });
}
