import { randomUUID } from "node:crypto";
import type { PiiCipher } from "../../security/pii.js";
import type { NewCheck, ScreeningCheck, ScreeningRepository } from "../port/index.js";
import type { Models, ScreeningDoc } from "./models.js";

const checkOf = (d: ScreeningDoc): ScreeningCheck => ({
  id: String(d._id),
  personId: d.personId,
  requirement: d.requirement,
  status: d.status as ScreeningCheck["status"],
  score: d.score ?? null,
  institutionCode: d.institutionCode ?? null,
  fileMime: d.fileKept ? (d.fileMime ?? null) : null,
  fileBytes: d.fileKept ? (d.fileBytes ?? null) : null,
  fileDroppedAt: d.fileDroppedAt ? new Date(d.fileDroppedAt) : null,
  expiresAt: d.expiresAt ? new Date(d.expiresAt) : null,
  decidedBy: d.decidedBy ?? null,
  reason: d.reason ?? null,
  createdAt: new Date(d.createdAt),
  decidedAt: d.decidedAt ? new Date(d.decidedAt) : null,
  warned: [...(d.warned ?? [])],
});

export class MongoScreeningRepository implements ScreeningRepository {
  constructor(
    private readonly models: Models,
    private readonly cipher: PiiCipher,
  ) {}

  async record(c: NewCheck) {
    if (c.status === "pending")
      await this.models.Screening.updateMany(
        { personId: c.personId, requirement: c.requirement, status: "pending" },
        { $set: { status: "rejected", reason: "superseded", decidedAt: c.createdAt } },
      );
    const id = randomUUID();
    await this.models.Screening.create({
      _id: id,
      personId: c.personId,
      requirement: c.requirement,
      status: c.status,
      score: c.score ?? null,
      institutionCode: c.institutionCode ?? null,
      fileMime: c.file?.mime ?? null,
      fileBytes: c.file?.bytes.length ?? null,
      fileSealed: c.file ? this.cipher.encrypt(c.file.bytes.toString("base64")) : null,
      fileKept: !!c.file,
      expiresAt: c.expiresAt ?? null,
      decidedBy: c.decidedBy ?? null,
      reason: c.reason ?? null,
      createdAt: c.createdAt,
      decidedAt: c.status === "pending" ? null : c.createdAt,
      warned: [],
    });
    return (await this.get(id))!;
  }

  async get(id: string) {
    const d = await this.models.Screening.findById(id).lean<ScreeningDoc>();
    return d ? checkOf(d) : null;
  }

  async of(personId: string) {
    const docs = await this.models.Screening.find({ personId }).sort({ createdAt: -1, _id: 1 }).lean<ScreeningDoc[]>();
    return docs.map(checkOf);
  }

  async decide(
    id: string,
    d: { approve: boolean; by: string; reason: string | null; expiresAt: Date | null; at: Date },
  ) {
    const r = await this.models.Screening.updateOne(
      { _id: id, status: "pending" },
      {
        $set: {
          status: d.approve ? "approved" : "rejected",
          decidedBy: d.by,
          reason: d.reason,
          expiresAt: d.approve ? d.expiresAt : null,
          decidedAt: d.at,
        },
      },
    );
    return r.modifiedCount ? this.get(id) : null;
  }

  async pending(institutionCodes: readonly string[], limit: number) {
    if (institutionCodes.length === 0) return [];
    const docs = await this.models.Screening.find({
      status: "pending",
      institutionCode: { $in: [...institutionCodes] },
    })
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit)
      .lean<ScreeningDoc[]>();
    return docs.map(checkOf);
  }

  async file(id: string) {
    const d = await this.models.Screening.findById(id).select("+fileSealed fileMime").lean<ScreeningDoc>();
    if (!d?.fileSealed || !d.fileMime) return null;
    return { mime: d.fileMime, bytes: Buffer.from(this.cipher.decrypt(d.fileSealed), "base64") };
  }

  async dropFiles(before: Date) {
    const r = await this.models.Screening.updateMany(
      { fileKept: true, decidedAt: { $ne: null, $lt: before } },
      { $set: { fileSealed: null, fileKept: false, fileDroppedAt: before } },
    );
    return r.modifiedCount;
  }

  async claimExpiryWarnings(from: Date, to: Date, days: number) {
    const docs = await this.models.Screening.find({
      status: "approved",
      expiresAt: { $gte: from, $lt: to },
      warned: { $ne: days },
    }).lean<ScreeningDoc[]>();
    const claimed: ScreeningCheck[] = [];
    for (const d of docs) {
      // Claimed one by one: a second worker's update finds the day already there. The whole list is set, guarded by
      // the day's absence ($push would do the same; the emulator lane lacks it).
      const r = await this.models.Screening.updateOne(
        { _id: d._id, warned: { $ne: days } },
        { $set: { warned: [...(d.warned ?? []), days] } },
      );
      if (r.modifiedCount) claimed.push({ ...checkOf(d), warned: [...(d.warned ?? []), days] });
    }
    return claimed;
  }

  async holders(requirements: readonly string[], now: Date) {
    if (requirements.length === 0) return new Set<string>();
    // The approved, unexpired checks of these requirements (only the gated roles' holders: a few thousand at most),
    // counted per person here rather than in an aggregation, which the emulator lane cannot run.
    const docs = await this.models.Screening.find(
      {
        status: "approved",
        requirement: { $in: [...requirements] },
        $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }],
      },
      { personId: 1, requirement: 1 },
    ).lean<{ personId: string; requirement: string }[]>();
    const held = new Map<string, Set<string>>();
    for (const d of docs) held.set(d.personId, (held.get(d.personId) ?? new Set()).add(d.requirement));
    return new Set([...held].filter(([, r]) => r.size === requirements.length).map(([p]) => p));
  }
}
