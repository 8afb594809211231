import { randomUUID } from "node:crypto";
import type { Recipient, Segment } from "../../domain/segment.js";
import type { Platform } from "../../platforms/capabilities.js";
import type { PiiCipher } from "../../security/pii.js";
import {
  NotFoundError,
  type Broadcast,
  type BroadcastExtras,
  type NewBroadcastRecord,
  type BroadcastStatus,
  type Delivery,
  type DeliveryProgress,
  type DeliveryRepository,
  type DeliveryStatus,
} from "../port/index.js";
import { NO_LEASE, type BroadcastDoc, type DeliveryDoc, type Models } from "./models.js";
import { isDuplicateKey } from "./errors.js";

const toBroadcast = (d: BroadcastDoc, text: string): Broadcast => ({
  id: String(d._id),
  text,
  personal: d.personal ?? false,
  about: [...(d.about ?? [])],
  segment: (d.segment ?? {}) as Segment,
  urgent: d.urgent,
  createdBy: d.createdBy ?? null,
  notBefore: new Date(d.notBefore),
  status: d.status as BroadcastStatus,
  total: d.total ?? 0,
  createdAt: new Date(d.createdAt),
  ...extrasOf(d),
});

const extrasOf = (d: {
  photo?: unknown;
  link?: unknown;
  imIn?: boolean | null;
  buttons?: unknown;
}): BroadcastExtras => ({
  photo: (d.photo ?? null) as BroadcastExtras["photo"],
  buttons: (d.buttons ?? null) as BroadcastExtras["buttons"],
  link: (d.link ?? null) as BroadcastExtras["link"],
  imIn: d.imIn ?? false,
});

/**
 * The outbox on MongoDB. A claim picks candidates, leases them with one
 * `updateMany` guarded by the same conditions (so a document leased by
 * another worker meanwhile is skipped), picks again for what it lost to
 * others, then reads back its own claim token.
 */
export class MongoDeliveryRepository implements DeliveryRepository {
  constructor(
    private readonly models: Models,
    private readonly cipher: PiiCipher,
  ) {}

  /** A personal broadcast's text, opened (see {@link Broadcast.personal}). */
  #text(d: Pick<BroadcastDoc, "text" | "personal">): string {
    return d.personal ? this.cipher.decrypt(d.text) : d.text;
  }

  async createBroadcast(input: NewBroadcastRecord): Promise<Broadcast> {
    const { paused, personal, ...fields } = input;
    const doc = await this.models.Broadcast.create({
      _id: randomUUID(),
      ...fields,
      text: personal ? this.cipher.encrypt(input.text) : input.text,
      personal: personal ?? false,
      status: paused ? "paused" : "running",
      total: 0,
    });
    return toBroadcast(doc.toObject() as BroadcastDoc, input.text);
  }

  async getBroadcast(id: string): Promise<Broadcast | null> {
    const doc = await this.models.Broadcast.findById(id).lean<BroadcastDoc>();
    return doc ? toBroadcast(doc, this.#text(doc)) : null;
  }

  async recentBroadcasts(limit: number): Promise<Broadcast[]> {
    const docs = await this.models.Broadcast.find({ personal: { $ne: true } })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean<BroadcastDoc[]>();
    return docs.map((doc) => toBroadcast(doc, this.#text(doc)));
  }

  async setBroadcastStatus(id: string, status: BroadcastStatus): Promise<void> {
    const r = await this.models.Broadcast.updateOne({ _id: id }, { $set: { status } });
    if (r.matchedCount === 0) throw new NotFoundError("broadcast", id);
    if (status === "cancelled") {
      await this.models.Delivery.updateMany(
        { broadcastId: id, status: "pending" },
        { $set: { status: "cancelled", settledAt: new Date() } },
      );
    }
  }

  async enqueue(broadcastId: string, recipients: Recipient[]): Promise<number> {
    // Nobody erased since the segment was read is queued.
    const erased = new Set(
      (
        await this.models.Person.find(
          { _id: { $in: [...new Set(recipients.map((r) => r.personId))] }, erasedAt: { $ne: null } },
          { _id: 1 },
        ).lean()
      ).map((p) => String(p._id)),
    );
    if (erased.size > 0) recipients = recipients.filter((r) => !erased.has(r.personId));
    if (recipients.length === 0) return 0;
    const dueAt = new Date();
    // An upsert per recipient on the unique key: one already queued is matched, not an error, so the count of
    // upserts is exactly what was added. Any other error (a failover, a write concern) is thrown, never absorbed:
    // the caller retries the batch, which adds only the missing ones.
    const batch = randomUUID();
    const ops = recipients.map((r) => ({
      updateOne: {
        filter: { broadcastId, personId: r.personId, platform: r.platform },
        update: {
          $setOnInsert: { broadcastId, ...r, dueAt, batch, status: "pending", attempts: 0, leaseUntil: NO_LEASE },
        },
        upsert: true,
      },
    }));
    let added: number;
    try {
      added = (await this.models.Delivery.bulkWrite(ops, { ordered: false })).upsertedCount;
    } catch (e) {
      // What did land still counts towards the total before the error goes up: this call's documents carry its batch.
      const landed = await this.models.Delivery.countDocuments({ broadcastId, batch }).catch(() => 0);
      if (landed > 0) await this.models.Broadcast.updateOne({ _id: broadcastId }, { $inc: { total: landed } });
      throw e;
    }
    if (added > 0) await this.models.Broadcast.updateOne({ _id: broadcastId }, { $inc: { total: added } });
    return added;
  }

  async claim(
    owner: string,
    limit: number,
    now: Date,
    leaseMs: number,
    options: { urgentOnly: boolean; bulkOnly?: boolean },
  ): Promise<Delivery[]> {
    const running = await this.models.Broadcast.find(
      {
        status: "running",
        notBefore: { $lte: now },
        ...(options.urgentOnly ? { urgent: true } : options.bulkOnly ? { urgent: { $ne: true } } : {}),
      },
      { text: 1, personal: 1, urgent: 1, photo: 1, link: 1, imIn: 1, buttons: 1 },
    ).lean<Pick<BroadcastDoc, "_id" | "text" | "personal" | "urgent" | "photo" | "link" | "imIn" | "buttons">[]>();
    if (running.length === 0) return [];
    // Served by the index {status, broadcastId, _id}; leaseUntil is never null (NO_LEASE), so one range test.
    const free = {
      status: "pending" as const,
      broadcastId: { $in: running.map((b) => String(b._id)) },
      dueAt: { $lte: now },
      leaseUntil: { $lt: now },
    };
    const token = randomUUID();
    const lease = { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs), claimToken: token };
    // Pick free candidates, lease those still free in one guarded update, and go again for what others took
    // meanwhile: concurrent claimers that picked the same ids do not come away empty while work is due.
    let claimedCount = 0;
    for (let round = 0; claimedCount < limit && round < 8; round++) {
      const candidates = await this.models.Delivery.find(free, { _id: 1 })
        .sort({ _id: 1 })
        .limit(limit - claimedCount)
        .lean();
      if (candidates.length === 0) break;
      const r = await this.models.Delivery.updateMany(
        { ...free, _id: { $in: candidates.map((c) => c._id) } },
        { $set: lease },
      );
      claimedCount += r.modifiedCount;
    }
    if (claimedCount === 0) return [];
    const claimed = await this.models.Delivery.find({ claimToken: token }).sort({ _id: 1 }).lean<DeliveryDoc[]>();
    const byId = new Map(running.map((b) => [String(b._id), b]));
    return claimed.map((d) => ({
      id: String(d._id),
      broadcastId: d.broadcastId,
      personId: d.personId,
      platform: d.platform as Platform,
      chatId: d.chatId,
      attempts: d.attempts ?? 0,
      text: this.#text(byId.get(d.broadcastId)!),
      urgent: byId.get(d.broadcastId)!.urgent,
      personal: byId.get(d.broadcastId)!.personal ?? false,
      ...extrasOf(byId.get(d.broadcastId)!),
    }));
  }

  async settle(id: string, owner: string, status: Exclude<DeliveryStatus, "pending">, error?: string): Promise<void> {
    await this.models.Delivery.updateOne(
      { _id: id, leaseOwner: owner, status: "pending" },
      { $set: { status, error: error ?? null, settledAt: new Date(), leaseOwner: null, leaseUntil: NO_LEASE } },
    );
  }

  async settleSent(ids: string[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    await this.models.Delivery.updateMany(
      { _id: { $in: ids }, leaseOwner: owner, status: "pending" },
      { $set: { status: "sent", settledAt: new Date(), leaseOwner: null, leaseUntil: NO_LEASE } },
    );
  }

  async retryLater(id: string, owner: string, at: Date, error: string, countAttempt: boolean): Promise<void> {
    await this.models.Delivery.updateOne(
      { _id: id, leaseOwner: owner, status: "pending" },
      { $set: { dueAt: at, error, leaseOwner: null, leaseUntil: NO_LEASE }, $inc: { attempts: countAttempt ? 1 : 0 } },
    );
  }

  async respond(broadcastId: string, personId: string) {
    // Only a recipient's answer counts (a forged button for another broadcast is not one).
    if (!(await this.models.Delivery.exists({ broadcastId, personId }))) return "not_sent" as const;
    try {
      await this.models.Response.create({ broadcastId, personId, respondedAt: new Date() });
      return "recorded" as const;
    } catch (e) {
      if (isDuplicateKey(e)) return "already" as const;
      throw e;
    }
  }

  async responses(broadcastId: string): Promise<number> {
    return this.models.Response.countDocuments({ broadcastId });
  }

  async progress(broadcastId: string): Promise<DeliveryProgress> {
    const counts: DeliveryProgress = { pending: 0, sent: 0, failed: 0, unreachable: 0, cancelled: 0 };
    const rows = await this.models.Delivery.aggregate<{ _id: DeliveryStatus; n: number }>([
      { $match: { broadcastId } },
      { $group: { _id: "$status", n: { $sum: 1 } } },
    ]);
    for (const r of rows) counts[r._id] = r.n;
    return counts;
  }

  async purgePersonal(before: Date): Promise<number> {
    const old = await this.models.Broadcast.find({ personal: true, createdAt: { $lt: before } }, { _id: 1 }).lean();
    const busy = new Set(
      await this.models.Delivery.distinct("broadcastId", {
        broadcastId: { $in: old.map((b) => String(b._id)) },
        status: "pending",
      }),
    );
    const ids = old.map((b) => String(b._id)).filter((id) => !busy.has(id));
    if (ids.length === 0) return 0;
    await this.models.Delivery.deleteMany({ broadcastId: { $in: ids } });
    await this.models.Response.deleteMany({ broadcastId: { $in: ids } });
    await this.models.Broadcast.deleteMany({ _id: { $in: ids } });
    return ids.length;
  }

  async pendingCount(): Promise<number> {
    return this.models.Delivery.countDocuments({ status: "pending" });
  }
}
