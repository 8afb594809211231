import type { CentreKind } from "../../domain/taxonomy.js";
import { randomUUID } from "node:crypto";
import type { Centre, CentreAction, CentreRepository, ImportResult, Institution } from "../port/index.js";
import type { CentreActionDoc, CentreDoc, InstitutionDoc, Models } from "./models.js";

const institutionOf = (d: InstitutionDoc): Institution => ({
  code: String(d._id),
  name: d.name,
  province: d.province,
  phone: d.phone ?? null,
});

const centreOf = (d: CentreDoc): Centre => ({
  code: String(d._id),
  kind: d.kind as CentreKind,
  name: d.name,
  province: d.province,
  county: d.county,
  neighbourhood: d.neighbourhood ?? null,
  address: d.address,
  phone: d.phone ?? null,
  location: d.location ? { lat: d.location.coordinates[1]!, lon: d.location.coordinates[0]! } : null,
  institutionCode: d.institutionCode ?? null,
});

const actionOf = (d: CentreActionDoc): CentreAction => ({
  id: String(d._id),
  centreCode: d.centreCode,
  kind: d.kind as CentreAction["kind"],
  date: d.date,
  participants: d.participants,
  reportedBy: d.reportedBy,
  createdAt: new Date(d.createdAt),
});

export class MongoCentreRepository implements CentreRepository {
  constructor(private readonly models: Models) {}

  async reportAction(a: Omit<CentreAction, "id" | "createdAt">): Promise<CentreAction> {
    const doc = await this.models.CentreAction.create({ _id: randomUUID(), ...a });
    return actionOf(doc.toObject() as CentreActionDoc);
  }

  async actions(filter: { centreCodes: string[]; from: string; to: string }): Promise<CentreAction[]> {
    const docs = await this.models.CentreAction.find({
      centreCode: { $in: filter.centreCodes },
      date: { $gte: filter.from, $lte: filter.to },
    })
      .sort({ date: 1, createdAt: 1 })
      .lean<CentreActionDoc[]>();
    return docs.map(actionOf);
  }

  async upsertInstitutions(rows: Institution[]): Promise<ImportResult> {
    return this.#upsert(
      this.models.Institution,
      rows.map(({ code, ...rest }) => ({ _id: code, set: rest, unset: {} })),
    );
  }

  async upsertCentres(rows: Centre[]): Promise<ImportResult> {
    return this.#upsert(
      this.models.Centre,
      rows.map(({ code, location, ...rest }) => ({
        _id: code,
        set: location ? { ...rest, location: { type: "Point", coordinates: [location.lon, location.lat] } } : rest,
        unset: (location ? {} : { location: 1 }) as Record<string, 1>,
      })),
    );
  }

  async getInstitution(code: string) {
    const d = await this.models.Institution.findById(code).lean<InstitutionDoc>();
    return d ? institutionOf(d) : null;
  }

  async checkInEpoch(code: string) {
    const d = await this.models.Centre.findById(code, { checkInEpoch: 1 }).lean<{ checkInEpoch?: number }>();
    return d?.checkInEpoch ?? 0;
  }

  async rotateCheckIn(code: string) {
    const d = await this.models.Centre.findOneAndUpdate(
      { _id: code },
      { $inc: { checkInEpoch: 1 } },
      { new: true, projection: { checkInEpoch: 1 } },
    ).lean<{ checkInEpoch: number }>();
    return d?.checkInEpoch ?? null;
  }

  async getCentre(code: string) {
    const d = await this.models.Centre.findById(code).lean<CentreDoc>();
    return d ? centreOf(d) : null;
  }

  async listInstitutions(filter: { province?: string } = {}) {
    const docs = await this.models.Institution.find(filter.province ? { province: filter.province } : {})
      .sort({ _id: 1 })
      .lean<InstitutionDoc[]>();
    return docs.map(institutionOf);
  }

  async listCentres(filter: { province?: string; county?: string; codes?: string[] } = {}) {
    const q: Record<string, unknown> = {};
    if (filter.province) q.province = filter.province;
    if (filter.county) q.county = filter.county;
    if (filter.codes) q._id = { $in: filter.codes };
    const docs = await this.models.Centre.find(q).sort({ _id: 1 }).lean<CentreDoc[]>();
    return docs.map(centreOf);
  }

  /**
   * One unordered bulk write. MongoDB has no multi-document atomicity outside
   * a transaction, so the rows are validated before (the import service
   * rejects bad rows first) and the write runs in a transaction when the
   * deployment supports one.
   */
  async #upsert(
    model: Models["Institution"] | Models["Centre"],
    rows: { _id: string; set: Record<string, unknown>; unset: Record<string, 1> }[],
  ): Promise<ImportResult> {
    if (rows.length === 0) return { inserted: 0, updated: 0 };
    const ops = rows.map((r) => ({
      updateOne: {
        filter: { _id: r._id },
        update: Object.keys(r.unset).length ? { $set: r.set, $unset: r.unset } : { $set: r.set },
        upsert: true,
      },
    }));
    const session = await model.db.startSession();
    try {
      let result = { inserted: 0, updated: 0 };
      await session.withTransaction(async () => {
        const r = await (model as Models["Centre"]).bulkWrite(ops as never, { session });
        result = { inserted: r.upsertedCount, updated: r.matchedCount };
      });
      return result;
    } finally {
      await session.endSession();
    }
  }
}
