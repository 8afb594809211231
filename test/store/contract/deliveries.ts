import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../../src/store/port/index.js";
import { freshStore } from "./support.js";
import type { Store } from "../../../src/store/port/index.js";

/** The store contract for the delivery outbox and its broadcasts: run against every adapter (see `index.ts`). */
export function deliveriesContract(open: () => Promise<Store>) {
  let store: Store;
  freshStore(open, (s) => (store = s));

  describe("delivery outbox", () => {
    const recipients = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        personId: `p${i}`,
        platform: "telegram" as const,
        chatId: String(1000 + i),
      }));
    const newBroadcast = (over: Partial<{ urgent: boolean; notBefore: Date }> = {}) =>
      store.deliveries.createBroadcast({
        text: "سلام",
        segment: {},
        urgent: false,
        createdBy: null,
        notBefore: new Date(0),
        ...over,
      });

    it("lists the newest campaign broadcasts first, without one-to-one pushes", async () => {
      const first = await newBroadcast();
      await new Promise((r) => setTimeout(r, 5));
      const second = await newBroadcast({ urgent: true });
      await store.deliveries.createBroadcast({
        text: "خصوصی",
        segment: {},
        urgent: true,
        createdBy: null,
        notBefore: new Date(0),
        personal: true,
        about: [],
      });
      expect((await store.deliveries.recentBroadcasts(10)).map((b) => b.id)).toEqual([second.id, first.id]);
      expect((await store.deliveries.recentBroadcasts(1)).map((b) => b.id)).toEqual([second.id]);
      expect((await store.deliveries.recentBroadcasts(10))[0]).toMatchObject({ text: "سلام", urgent: true });
    });

    it("keeps a broadcast's photo, link and «I'm in» button, and counts answers once per person", async () => {
      const b = await store.deliveries.createBroadcast({
        text: "t",
        segment: { provinces: ["golestan"] },
        urgent: true,
        createdBy: "telegram:1",
        notBefore: new Date(0),
        photo: { platform: "telegram", fileId: "f1" },
        link: { text: "برنامه", url: "https://example.org" },
        imIn: true,
      });
      expect(await store.deliveries.getBroadcast(b.id)).toMatchObject({
        segment: { provinces: ["golestan"] },
        photo: { platform: "telegram", fileId: "f1" },
        link: { text: "برنامه", url: "https://example.org" },
        imIn: true,
        status: "running",
      });
      await store.deliveries.enqueue(b.id, recipients(2));
      const [d] = await store.deliveries.claim("w", 1, new Date(), 1000, { urgentOnly: true });
      expect(d).toMatchObject({ photo: { fileId: "f1" }, link: { url: "https://example.org" }, imIn: true });
      // A broadcast's delivery is not a one-to-one push (the send budget puts those in the urgent lane).
      expect(d!.personal).toBe(false);
      expect(await store.deliveries.respond(b.id, "p0")).toBe("recorded");
      expect(await store.deliveries.respond(b.id, "p0")).toBe("already");
      expect(await store.deliveries.respond(b.id, "p1")).toBe("recorded");
      // Someone the broadcast was never sent to (a forged button) is not counted.
      expect(await store.deliveries.respond(b.id, "p9")).toBe("not_sent");
      expect(await store.deliveries.responses(b.id)).toBe(2);
      const plain = await newBroadcast();
      expect(plain).toMatchObject({ photo: null, link: null, imIn: false });
      const paused = await store.deliveries.createBroadcast({
        text: "p",
        segment: {},
        urgent: true,
        createdBy: null,
        notBefore: new Date(0),
        paused: true,
      });
      expect(paused.status).toBe("paused");
    });

    it("enqueues once per recipient and counts the total", async () => {
      const b = await newBroadcast();
      expect(await store.deliveries.enqueue(b.id, recipients(5))).toBe(5);
      expect(await store.deliveries.enqueue(b.id, recipients(7))).toBe(2);
      expect((await store.deliveries.getBroadcast(b.id))!.total).toBe(7);
      expect(await store.deliveries.progress(b.id)).toMatchObject({ pending: 7, sent: 0 });
    });

    it("never hands one delivery to two workers; a lapsed lease is claimable again", async () => {
      const b = await newBroadcast();
      await store.deliveries.enqueue(b.id, recipients(10));
      const now = new Date();
      const [x, y] = await Promise.all([
        store.deliveries.claim("w1", 6, now, 30_000, { urgentOnly: false }),
        store.deliveries.claim("w2", 6, now, 30_000, { urgentOnly: false }),
      ]);
      const ids = [...x, ...y].map((d) => d.id);
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);
      expect(x[0]).toMatchObject({ broadcastId: b.id, text: "سلام", urgent: false, attempts: 0 });
      expect(await store.deliveries.claim("w3", 10, now, 30_000, { urgentOnly: false })).toEqual([]);
      const later = new Date(now.getTime() + 31_000);
      expect(await store.deliveries.claim("w3", 20, later, 30_000, { urgentOnly: false })).toHaveLength(10);
    });

    it("shares what is due among many simultaneous claimers: each up to its limit, none twice, all taken", async () => {
      const b = await newBroadcast();
      await store.deliveries.enqueue(b.id, recipients(23));
      const now = new Date();
      const claims = await Promise.all(
        Array.from({ length: 4 }, (_, i) => store.deliveries.claim(`w${i}`, 5, now, 30_000, { urgentOnly: false })),
      );
      expect(claims.map((c) => c.length)).toEqual([5, 5, 5, 5]);
      const rest = await Promise.all(
        Array.from({ length: 4 }, (_, i) => store.deliveries.claim(`v${i}`, 5, now, 30_000, { urgentOnly: false })),
      );
      const ids = [...claims, ...rest].flat().map((d) => d.id);
      expect(ids).toHaveLength(23);
      expect(new Set(ids).size).toBe(23);
      expect(rest.every((c) => c.length <= 5)).toBe(true);
    });

    it("settles a batch as sent for its owner only, and counts what is still pending", async () => {
      const b = await newBroadcast();
      await store.deliveries.enqueue(b.id, recipients(4));
      expect(await store.deliveries.pendingCount()).toBe(4);
      const now = new Date();
      const mine = await store.deliveries.claim("w1", 3, now, 30_000, { urgentOnly: false });
      await store.deliveries.settleSent([], "w1");
      await store.deliveries.settleSent(
        mine.map((d) => d.id),
        "intruder",
      );
      expect(await store.deliveries.pendingCount()).toBe(4);
      await store.deliveries.settleSent(
        mine.map((d) => d.id),
        "w1",
      );
      expect(await store.deliveries.progress(b.id)).toMatchObject({ sent: 3, pending: 1 });
      expect(await store.deliveries.pendingCount()).toBe(1);
      // Settled deliveries are never claimed again, even after their lease would have lapsed.
      const later = new Date(now.getTime() + 60_000);
      expect((await store.deliveries.claim("w2", 10, later, 30_000, { urgentOnly: false })).map((d) => d.id)).toEqual(
        expect.not.arrayContaining(mine.map((d) => d.id)),
      );
    });

    it("settles only for the lease owner, and retries later", async () => {
      const b = await newBroadcast();
      await store.deliveries.enqueue(b.id, recipients(3));
      const now = new Date();
      const [d1, d2, d3] = await store.deliveries.claim("w1", 3, now, 30_000, { urgentOnly: false });
      await store.deliveries.settle(d1!.id, "intruder", "sent");
      await store.deliveries.settle(d1!.id, "w1", "sent");
      await store.deliveries.settle(d2!.id, "w1", "unreachable", "403");
      await store.deliveries.retryLater(d3!.id, "w1", new Date(now.getTime() + 5_000), "502", true);
      expect(await store.deliveries.progress(b.id)).toMatchObject({ sent: 1, unreachable: 1, pending: 1 });
      expect(await store.deliveries.claim("w2", 5, now, 30_000, { urgentOnly: false })).toEqual([]);
      const retry = await store.deliveries.claim("w2", 5, new Date(now.getTime() + 6_000), 30_000, {
        urgentOnly: false,
      });
      expect(retry.map((d) => [d.id, d.attempts])).toEqual([[d3!.id, 1]]);
    });

    it("respects notBefore, urgency, pause and cancel", async () => {
      const now = new Date();
      const future = await newBroadcast({ notBefore: new Date(now.getTime() + 60_000) });
      await store.deliveries.enqueue(future.id, recipients(2));
      expect(await store.deliveries.claim("w", 10, now, 1000, { urgentOnly: false })).toEqual([]);
      const normal = await newBroadcast();
      const urgent = await newBroadcast({ urgent: true });
      await store.deliveries.enqueue(normal.id, recipients(2));
      await store.deliveries.enqueue(urgent.id, recipients(2));
      expect(
        (await store.deliveries.claim("w", 10, new Date(), 1000, { urgentOnly: true })).map((d) => d.broadcastId),
      ).toEqual([urgent.id, urgent.id]);
      await store.deliveries.setBroadcastStatus(normal.id, "paused");
      const later = new Date(now.getTime() + 2000);
      expect(await store.deliveries.claim("w", 10, later, 1000, { urgentOnly: false })).toHaveLength(2);
      await store.deliveries.setBroadcastStatus(normal.id, "cancelled");
      expect(await store.deliveries.progress(normal.id)).toMatchObject({ cancelled: 2, pending: 0 });
      await expect(store.deliveries.setBroadcastStatus("nope", "paused")).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
