import { afterEach, beforeEach, expect, it } from "vitest";
import { pushTo } from "../../src/services/broadcast.js";
import { AUDIT_COLLAPSE_MS } from "../../src/store/port/index.js";
import type { ErasureTarget } from "./erasure-contract.js";

/**
 * The store side of the privacy fixes, one suite for both adapters: what a
 * person's phone was verified by, one-to-one messages sealed and purged,
 * refusals collapsed, date-ranged audit reads, open invitations, and hours
 * reports kept on the server.
 */
export function privacyStoreContract(open: () => Promise<ErasureTarget>) {
  let t: ErasureTarget;
  beforeEach(async () => {
    t = await open();
  });
  afterEach(() => t.close());
  const tg = (userId: string) => ({ platform: "telegram" as const, userId, chatId: userId });

  it("keeps whether a phone was shared (verified) or typed", async () => {
    const { person } = await t.store.people.ensure(tg("1"));
    expect(person.phoneVerified).toBe(false);
    await t.store.people.update(person.id, { phone: "09121110000", phoneVerified: true });
    expect((await t.store.people.get(person.id))!.phoneVerified).toBe(true);
    expect((await t.store.people.findByPhone("09121110000"))[0]!.phoneVerified).toBe(true);
    await t.store.people.update(person.id, { phone: "09121110001", phoneVerified: false });
    expect((await t.store.people.get(person.id))!.phoneVerified).toBe(false);
  });

  it("seals a one-to-one push at rest, opens it to send, and purges it once settled and old", async () => {
    const { person } = await t.store.people.ensure(tg("2"));
    const text = "شماره داوطلب: 09125550000";
    const { broadcastId } = await pushTo(t.store, person.id, text);
    expect(Object.values(await t.dump()).join("\n")).not.toContain("09125550000");
    expect((await t.store.deliveries.getBroadcast(broadcastId!))!).toMatchObject({ text, personal: true });
    const [d] = await t.store.deliveries.claim("w", 10, new Date(), 60_000, { urgentOnly: false });
    expect(d!.text).toBe(text);
    // A one-to-one push: the send budget's urgent lane.
    expect(d!.personal).toBe(true);
    // Pending: not purged, however old.
    expect(await t.store.deliveries.purgePersonal(new Date(Date.now() + 60_000))).toBe(0);
    await t.store.deliveries.settleSent([d!.id], "w");
    // Settled but younger than the retention period: kept.
    expect(await t.store.deliveries.purgePersonal(new Date(Date.now() - 86_400_000))).toBe(0);
    // Past it: gone, with its delivery.
    const campaign = await t.store.deliveries.createBroadcast({
      text: "همه",
      segment: {},
      urgent: false,
      notBefore: new Date(0),
      createdBy: null,
    });
    expect(await t.store.deliveries.purgePersonal(new Date(Date.now() + 60_000))).toBe(1);
    expect(await t.store.deliveries.getBroadcast(broadcastId!)).toBeNull();
    expect(await t.store.deliveries.progress(broadcastId!)).toMatchObject({ sent: 0, pending: 0 });
    // A campaign broadcast is not personal and is never purged.
    expect(await t.store.deliveries.getBroadcast(campaign.id)).not.toBeNull();
  });

  it("collapses one actor's refusals in a row into one record with a count, and reads by date range", async () => {
    const refusal = {
      actor: "telegram:9",
      action: "report.read",
      scope: "*",
      target: null,
      outcome: "refused" as const,
      details: null,
    };
    for (let i = 0; i < 300; i++) await t.store.access.audit(refusal);
    await t.store.access.audit({ ...refusal, actor: "telegram:8" });
    await t.store.access.audit({ ...refusal, outcome: "ok" });
    await t.store.access.audit(refusal);
    const log = await t.store.access.auditLog({ limit: 100 });
    expect(log.map((r) => `${r.actor}:${r.outcome}:${r.count}`)).toEqual([
      "telegram:9:refused:1",
      "telegram:9:ok:1",
      "telegram:8:refused:1",
      "telegram:9:refused:300",
    ]);
    expect(log[3]!.lastAt.getTime()).toBeGreaterThanOrEqual(log[3]!.at.getTime());
    const now = Date.now();
    expect(
      await t.store.access.auditLog({ since: new Date(now - 60_000), until: new Date(now + 60_000), limit: 10 }),
    ).toHaveLength(4);
    expect(await t.store.access.auditLog({ until: new Date(now - 60_000), limit: 10 })).toEqual([]);
    expect(await t.store.access.auditLog({ since: new Date(now + 60_000), limit: 10 })).toEqual([]);
    expect(AUDIT_COLLAPSE_MS).toBeGreaterThan(0);
  });

  it("lists open invitations and deletes them one by one or all of one maker's", async () => {
    const later = new Date(Date.now() + 3_600_000);
    const invite = (id: string, createdBy: string, expiresAt = later) =>
      t.store.access.createInvite({ id, role: "centre_coordinator", scope: "C1", createdBy, expiresAt });
    await invite("a", "telegram:1");
    await invite("b", "telegram:1");
    await invite("c", "telegram:2");
    await invite("old", "telegram:1", new Date(Date.now() - 1000));
    await invite("used", "telegram:1");
    await t.store.access.redeemInvite("used", "telegram:5", new Date());
    expect((await t.store.access.openInvites(new Date())).map((i) => i.id).sort()).toEqual(["a", "b", "c"]);
    expect(await t.store.access.deleteInvite("used")).toBe(false);
    expect(await t.store.access.deleteInvite("c")).toBe(true);
    expect(await t.store.access.deleteInvite("c")).toBe(false);
    expect(await t.store.access.deleteOpenInvitesBy("telegram:1")).toBe(3);
    expect(await t.store.access.openInvites(new Date())).toEqual([]);
  });

  it("keeps hour reports: a newer one for the same day supersedes, a confirmed one stays confirmed", async () => {
    const offerId = "00000000-0000-4000-8000-000000000001";
    const first = await t.store.needs.reportHours({ offerId, minutes: 120, date: "2026-12-01" });
    const second = await t.store.needs.reportHours({ offerId, minutes: 180, date: "2026-12-01" });
    const other = await t.store.needs.reportHours({ offerId, minutes: 60, date: "2026-12-02" });
    expect((await t.store.needs.getHourReport(first.id))!.status).toBe("superseded");
    expect(await t.store.needs.getHourReport(second.id)).toMatchObject({
      minutes: 180,
      date: "2026-12-01",
      status: "pending",
    });
    expect(await t.store.needs.confirmHourReport(first.id)).toBe(false);
    expect(await t.store.needs.confirmHourReport(second.id)).toBe(true);
    expect(await t.store.needs.confirmHourReport(second.id)).toBe(false);
    expect((await t.store.needs.getHourReport(other.id))!.status).toBe("pending");
    expect(await t.store.needs.getHourReport("00000000-0000-4000-8000-00000000000f")).toBeNull();
  });
}
