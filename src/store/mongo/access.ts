import type { Platform } from "../../platforms/capabilities.js";
import {
  AUDIT_COLLAPSE_MS,
  type AccessRepository,
  type AuditRecord,
  type CoordinatorRole,
  type Grant,
  type IdentityRef,
  type Invite,
  type RedeemOutcome,
} from "../port/index.js";
import type { AuditDoc, GrantDoc, InviteDoc, Models } from "./models.js";

const grantOf = (d: GrantDoc): Grant => ({
  platform: d.platform as Platform,
  userId: d.userId,
  role: d.role as CoordinatorRole,
  scope: d.scope,
  grantedBy: d.grantedBy,
  grantedAt: new Date(d.grantedAt),
});

const inviteOf = (d: InviteDoc): Invite => ({
  id: String(d._id),
  role: d.role as CoordinatorRole,
  scope: d.scope,
  createdBy: d.createdBy,
  expiresAt: new Date(d.expiresAt),
  usedBy: d.usedBy ?? null,
});

export class MongoAccessRepository implements AccessRepository {
  constructor(private readonly models: Models) {}

  async createInvite(i: Omit<Invite, "usedBy">) {
    const { id, ...rest } = i;
    await this.models.Invite.create({ _id: id, ...rest });
    return { ...i, usedBy: null };
  }

  async redeemInvite(id: string, by: string, now: Date): Promise<RedeemOutcome> {
    // One guarded update: only an unused, unexpired invite changes, so two redeemers cannot both win.
    const won = await this.models.Invite.findOneAndUpdate(
      { _id: id, usedBy: null, expiresAt: { $gt: now } },
      { $set: { usedBy: by, usedAt: now } },
      { returnDocument: "after" },
    ).lean<InviteDoc>();
    if (won) return { type: "redeemed", invite: inviteOf(won) };
    const doc = await this.models.Invite.findById(id).lean<InviteDoc>();
    if (!doc) return { type: "unknown" };
    return doc.usedBy ? { type: "used", invite: inviteOf(doc) } : { type: "expired", invite: inviteOf(doc) };
  }

  async grant(g: Omit<Grant, "grantedAt">) {
    const r = await this.models.Grant.updateOne(
      { platform: g.platform, userId: g.userId, role: g.role, scope: g.scope },
      { $setOnInsert: { grantedBy: g.grantedBy, grantedAt: new Date() } },
      { upsert: true },
    );
    return r.upsertedCount > 0;
  }

  async revoke(ref: IdentityRef, role: CoordinatorRole, scope: string) {
    const r = await this.models.Grant.deleteOne({ platform: ref.platform, userId: ref.userId, role, scope });
    return r.deletedCount > 0;
  }

  async grantsOf(ref: IdentityRef) {
    const docs = await this.models.Grant.find({ platform: ref.platform, userId: ref.userId })
      .sort({ role: 1, scope: 1 })
      .lean<GrantDoc[]>();
    return docs.map(grantOf);
  }

  async list(filter: { role?: CoordinatorRole; scope?: string } = {}) {
    const docs = await this.models.Grant.find({ ...filter })
      .sort({ role: 1, scope: 1, platform: 1, userId: 1 })
      .lean<GrantDoc[]>();
    return docs.map(grantOf);
  }

  async claimOnce(key: string, expiresAt: Date, now = new Date()) {
    try {
      await this.models.Claim.create({ _id: key, expiresAt });
      return true;
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
      // Claimed before: claimable again only once that claim lapsed (the TTL monitor runs once a minute).
      const lapsed = await this.models.Claim.updateOne({ _id: key, expiresAt: { $lte: now } }, { $set: { expiresAt } });
      return lapsed.modifiedCount === 1;
    }
  }

  async claimed(key: string, now = new Date()) {
    return (await this.models.Claim.exists({ _id: key, expiresAt: { $gt: now } })) !== null;
  }

  async audit(r: Omit<AuditRecord, "at" | "count" | "lastAt">) {
    const now = new Date();
    if (r.outcome === "refused") {
      // The newest record of this actor, action and target: a refusal in a row within the window counts up.
      const last = await this.models.Audit.findOne(
        { actor: r.actor, action: r.action, target: r.target ?? null },
        { outcome: 1, at: 1, lastAt: 1 },
      )
        .sort({ _id: -1 })
        .lean<AuditDoc & { _id: unknown }>();
      const lastAt = last ? new Date(last.lastAt ?? last.at).getTime() : 0;
      if (last?.outcome === "refused" && now.getTime() - lastAt < AUDIT_COLLAPSE_MS) {
        await this.models.Audit.updateOne({ _id: last._id }, { $inc: { count: 1 }, $set: { lastAt: now } });
        return;
      }
    }
    await this.models.Audit.create({ ...r, at: now, lastAt: now, count: 1 });
  }

  async auditLog(filter: { since?: Date; until?: Date; actor?: string; limit: number }) {
    const q: Record<string, unknown> = {};
    if (filter.since || filter.until)
      q.lastAt = { ...(filter.since ? { $gte: filter.since } : {}), ...(filter.until ? { $lt: filter.until } : {}) };
    if (filter.actor) q.actor = filter.actor;
    // Newest first on the index {at: -1, _id: -1} (the order records were written, as SQLite's id DESC).
    const docs = await this.models.Audit.find(q).sort({ at: -1, _id: -1 }).limit(filter.limit).lean<AuditDoc[]>();
    return docs.map((d) => ({
      actor: d.actor,
      action: d.action,
      scope: d.scope,
      target: d.target ?? null,
      outcome: d.outcome as AuditRecord["outcome"],
      details: (d.details ?? null) as AuditRecord["details"],
      at: new Date(d.at),
      count: d.count ?? 1,
      lastAt: new Date(d.lastAt ?? d.at),
    }));
  }

  async openInvites(now: Date) {
    const docs = await this.models.Invite.find({ usedBy: null, expiresAt: { $gt: now } })
      .sort({ expiresAt: 1, _id: 1 })
      .lean<InviteDoc[]>();
    return docs.map(inviteOf);
  }

  async deleteInvite(id: string) {
    return (await this.models.Invite.deleteOne({ _id: id, usedBy: null })).deletedCount > 0;
  }

  async deleteOpenInvitesBy(createdBy: string) {
    return (await this.models.Invite.deleteMany({ createdBy, usedBy: null })).deletedCount;
  }
}
