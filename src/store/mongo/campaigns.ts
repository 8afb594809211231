import type { Segment } from "../../domain/segment.js";
import { DuplicateError, NotFoundError, type Campaign, type CampaignRepository } from "../port/index.js";
import type { CampaignDoc, Models } from "./models.js";
import { isDuplicateKey } from "./errors.js";

const toCampaign = (d: CampaignDoc): Campaign => ({
  slug: String(d._id),
  template: d.template as Campaign["template"],
  title: d.title,
  hijriYear: d.hijriYear ?? null,
  adjustDays: d.adjustDays ?? 0,
  monthDay: d.monthDay ?? null,
  hour: d.hour,
  segment: (d.segment ?? {}) as Segment,
  status: d.status as Campaign["status"],
  createdBy: d.createdBy ?? null,
  createdAt: new Date(d.createdAt),
});

export class MongoCampaignRepository implements CampaignRepository {
  constructor(private readonly models: Models) {}

  async create(c: Omit<Campaign, "status" | "createdAt">): Promise<Campaign> {
    const { slug, ...rest } = c;
    try {
      await this.models.Campaign.create({ _id: slug, ...rest, status: "active" });
    } catch (e) {
      if (isDuplicateKey(e)) throw new DuplicateError("slug");
      throw e;
    }
    return (await this.get(slug))!;
  }

  async get(slug: string): Promise<Campaign | null> {
    const doc = await this.models.Campaign.findById(slug).lean<CampaignDoc>();
    return doc ? toCampaign(doc) : null;
  }

  async listActive(): Promise<Campaign[]> {
    return (await this.models.Campaign.find({ status: "active" }).sort({ _id: 1 }).lean<CampaignDoc[]>()).map(
      toCampaign,
    );
  }

  async setStatus(slug: string, status: Campaign["status"]): Promise<void> {
    const r = await this.models.Campaign.updateOne({ _id: slug }, { $set: { status } });
    if (r.matchedCount === 0) throw new NotFoundError("campaign", slug);
  }

  async recordRun(slug: string, occurrence: string, broadcastId: string): Promise<boolean> {
    // The filter makes the addition conditional: only the first worker's update matches.
    const r = await this.models.Campaign.updateOne(
      { _id: slug, "runs.occurrence": { $ne: occurrence } },
      { $addToSet: { runs: { occurrence, broadcastId } } },
    );
    return r.modifiedCount === 1;
  }

  async runs(slug: string) {
    const doc = await this.models.Campaign.findById(slug, { runs: 1 }).lean<Pick<CampaignDoc, "runs">>();
    return (doc?.runs ?? []).map((r) => ({ occurrence: r.occurrence ?? "", broadcastId: r.broadcastId ?? "" }));
  }

  async pledge(slug: string, personId: string, hours: number): Promise<void> {
    await this.models.Pledge.updateOne(
      { slug, personId },
      { $set: { hours, pledgedAt: new Date() } },
      { upsert: true },
    );
  }

  async pledgeOf(slug: string, personId: string): Promise<number | null> {
    return (await this.models.Pledge.findOne({ slug, personId }).lean())?.hours ?? null;
  }

  async pledgeSummary(slug: string) {
    const [row] = await this.models.Pledge.aggregate<{ people: number; hours: number }>([
      { $match: { slug } },
      { $group: { _id: null, people: { $sum: 1 }, hours: { $sum: "$hours" } } },
    ]);
    return { people: row?.people ?? 0, hours: row?.hours ?? 0 };
  }
}
