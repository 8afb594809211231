import { randomUUID } from "node:crypto";
import type { ReminderKind, SessionStatus } from "../../domain/sessions.js";
import type { DayPart } from "../../domain/taxonomy.js";
import type {
  Certificate,
  CertificateRepository,
  NewSession,
  ServiceSession,
  SessionFilter,
  SessionPatch,
  SessionRepository,
} from "../port/index.js";
import type { CertificateDoc, Models, SessionDoc } from "./models.js";
import { isDuplicateKey } from "./errors.js";

const sessionOf = (d: SessionDoc & { _id: unknown }): ServiceSession => ({
  id: String(d._id),
  offerId: d.offerId,
  needId: d.needId,
  personId: d.personId,
  centreCode: d.centreCode,
  date: d.date,
  part: d.part as DayPart,
  startsAt: new Date(d.startsAt),
  endsAt: new Date(d.endsAt),
  status: d.status as SessionStatus,
  reminded: Object.fromEntries(
    Object.entries((d.reminded ?? {}) as Record<string, Date>).map(([k, v]) => [k, new Date(v)]),
  ) as ServiceSession["reminded"],
  confirmedAt: d.confirmedAt ?? null,
  cancelledAt: d.cancelledAt ?? null,
  checkInAt: d.checkInAt ?? null,
  checkOutAt: d.checkOutAt ?? null,
  checkInBy: d.checkInBy ?? null,
  checkInDistanceM: d.checkInDistanceM ?? null,
  minutes: d.minutes ?? null,
  correctedBy: d.correctedBy ?? null,
  correctionReason: d.correctionReason ?? null,
  creditKey: d.creditKey ?? null,
  creditedBy: d.creditedBy ?? null,
  createdAt: new Date(d.createdAt),
});

/** Sessions on MongoDB: every move is one guarded update (the status it may leave is in the filter). */
export class MongoSessionRepository implements SessionRepository {
  constructor(private readonly models: Models) {}

  async create(sessions: NewSession[]): Promise<ServiceSession[]> {
    const created: ServiceSession[] = [];
    for (const s of sessions) {
      const id = randomUUID();
      try {
        // One per offer, date and part: an upsert that inserts only the first time.
        const r = await this.models.Session.updateOne(
          { offerId: s.offerId, date: s.date, part: s.part },
          { $setOnInsert: { _id: id, ...s, status: "scheduled", reminded: {}, createdAt: new Date() } },
          { upsert: true },
        );
        if (r.upsertedCount === 0) continue;
      } catch (err) {
        if (isDuplicateKey(err)) continue; // another worker made it between the two steps of the upsert
        throw err;
      }
      const doc = await this.models.Session.findById(id).lean<SessionDoc>();
      if (doc) created.push(sessionOf(doc));
    }
    return created;
  }

  async centresWithSessions(from: Date, to: Date) {
    const codes = await this.models.Session.distinct("centreCode", { startsAt: { $gte: from, $lt: to } });
    return (codes as string[]).sort();
  }

  async get(id: string) {
    const d = await this.models.Session.findById(id).lean<SessionDoc>();
    return d ? sessionOf(d) : null;
  }

  async list(f: SessionFilter, limit: number) {
    const q: Record<string, unknown> = {};
    if (f.personId !== undefined) q.personId = f.personId;
    if (f.offerId !== undefined) q.offerId = f.offerId;
    if (f.creditKey !== undefined) q.creditKey = f.creditKey;
    if (f.centreCodes) q.centreCode = { $in: f.centreCodes };
    if (f.statuses) q.status = { $in: f.statuses };
    if (f.startsFrom || f.startsBefore)
      q.startsAt = {
        ...(f.startsFrom ? { $gte: f.startsFrom } : {}),
        ...(f.startsBefore ? { $lt: f.startsBefore } : {}),
      };
    if (f.endsBefore) q.endsAt = { $lt: f.endsBefore };
    if (f.notReminded) q[`reminded.${f.notReminded}`] = { $exists: false };
    const docs = await this.models.Session.find(q).sort({ startsAt: 1, _id: 1 }).limit(limit).lean<SessionDoc[]>();
    return docs.map(sessionOf);
  }

  async move(id: string, from: readonly SessionStatus[], to: SessionStatus, patch: SessionPatch = {}) {
    return this.#update(id, from, { status: to, ...patch });
  }

  async patch(id: string, within: readonly SessionStatus[], patch: SessionPatch) {
    return Object.keys(patch).length ? this.#update(id, within, patch) : null;
  }

  async #update(id: string, within: readonly SessionStatus[], set: Record<string, unknown>) {
    const d = await this.models.Session.findOneAndUpdate(
      { _id: id, status: { $in: within } },
      { $set: set },
      { new: true },
    ).lean<SessionDoc>();
    return d ? sessionOf(d) : null;
  }

  async claimReminder(id: string, kind: ReminderKind, at: Date, within: readonly SessionStatus[]) {
    const r = await this.models.Session.updateOne(
      { _id: id, status: { $in: within }, [`reminded.${kind}`]: { $exists: false } },
      { $set: { [`reminded.${kind}`]: at } },
    );
    return r.modifiedCount > 0;
  }

  async cancelFrom(offerId: string, from: Date, within: readonly SessionStatus[], at: Date) {
    const q = { offerId, startsAt: { $gte: from }, status: { $in: within } };
    const docs = await this.models.Session.find(q).sort({ startsAt: 1 }).lean<SessionDoc[]>();
    const moved: ServiceSession[] = [];
    for (const d of docs) {
      const r = await this.models.Session.updateOne(
        { _id: d._id, status: { $in: within } },
        { $set: { status: "cancelled", cancelledAt: at } },
      );
      if (r.modifiedCount > 0) moved.push({ ...sessionOf(d), status: "cancelled", cancelledAt: at });
    }
    return moved;
  }
}

const certificateOf = (d: CertificateDoc & { _id: unknown }): Certificate => ({
  code: String(d._id),
  personId: d.personId,
  name: d.name,
  minutes: d.minutes,
  issuedAt: new Date(d.issuedAt),
  supersededBy: d.supersededBy ?? null,
});

export class MongoCertificateRepository implements CertificateRepository {
  constructor(private readonly models: Models) {}

  async issue(c: Omit<Certificate, "supersededBy">) {
    const { code, ...rest } = c;
    await this.models.Certificate.create({ _id: code, ...rest, supersededBy: null });
    // After the new one exists: a crash between the two leaves two valid certificates, never none.
    await this.models.Certificate.updateMany(
      { personId: c.personId, _id: { $ne: code }, supersededBy: null },
      { $set: { supersededBy: code } },
    );
    return { ...c, supersededBy: null };
  }

  async get(code: string) {
    const d = await this.models.Certificate.findById(code).lean<CertificateDoc>();
    return d ? certificateOf(d) : null;
  }

  async of(personId: string) {
    const docs = await this.models.Certificate.find({ personId })
      .sort({ issuedAt: -1, _id: 1 })
      .lean<CertificateDoc[]>();
    return docs.map(certificateOf);
  }
}
