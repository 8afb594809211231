import type { Database } from "better-sqlite3";
import type { Segment } from "../../domain/segment.js";
import { DuplicateError, NotFoundError, type Campaign, type CampaignRepository } from "../port/index.js";

interface CampaignRow {
  slug: string;
  template: Campaign["template"];
  title: string;
  hijri_year: number | null;
  adjust_days: number;
  month_day: number | null;
  hour: number;
  segment: string;
  status: Campaign["status"];
  created_by: string | null;
  created_at: string;
}

export const toCampaign = (r: CampaignRow): Campaign => ({
  slug: r.slug,
  template: r.template,
  title: r.title,
  hijriYear: r.hijri_year,
  adjustDays: r.adjust_days,
  monthDay: r.month_day,
  hour: r.hour,
  segment: JSON.parse(r.segment) as Segment,
  status: r.status,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
});

export class SqliteCampaignRepository implements CampaignRepository {
  constructor(private readonly db: Database) {}

  async create(c: Omit<Campaign, "status" | "createdAt">): Promise<Campaign> {
    try {
      this.db
        .prepare(
          `INSERT INTO campaigns (slug, template, title, hijri_year, adjust_days, month_day, hour, segment, status, created_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
        )
        .run(
          c.slug,
          c.template,
          c.title,
          c.hijriYear,
          c.adjustDays,
          c.monthDay,
          c.hour,
          JSON.stringify(c.segment),
          c.createdBy,
          new Date().toISOString(),
        );
    } catch (e) {
      if (e instanceof Error && "code" in e && String(e.code).startsWith("SQLITE_CONSTRAINT"))
        throw new DuplicateError("slug");
      throw e;
    }
    return (await this.get(c.slug))!;
  }

  async get(slug: string): Promise<Campaign | null> {
    const row = this.db.prepare("SELECT * FROM campaigns WHERE slug = ?").get(slug) as CampaignRow | undefined;
    return row ? toCampaign(row) : null;
  }

  async listActive(): Promise<Campaign[]> {
    return (
      this.db.prepare("SELECT * FROM campaigns WHERE status = 'active' ORDER BY slug").all() as CampaignRow[]
    ).map(toCampaign);
  }

  async setStatus(slug: string, status: Campaign["status"]): Promise<void> {
    if (this.db.prepare("UPDATE campaigns SET status = ? WHERE slug = ?").run(status, slug).changes === 0)
      throw new NotFoundError("campaign", slug);
  }

  async recordRun(slug: string, occurrence: string, broadcastId: string): Promise<boolean> {
    return (
      this.db
        .prepare("INSERT OR IGNORE INTO campaign_runs (slug, occurrence, broadcast_id) VALUES (?, ?, ?)")
        .run(slug, occurrence, broadcastId).changes === 1
    );
  }

  async runs(slug: string) {
    return (
      this.db.prepare("SELECT occurrence, broadcast_id FROM campaign_runs WHERE slug = ? ORDER BY rowid").all(slug) as {
        occurrence: string;
        broadcast_id: string;
      }[]
    ).map((r) => ({ occurrence: r.occurrence, broadcastId: r.broadcast_id }));
  }

  async pledge(slug: string, personId: string, hours: number): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO pledges (slug, person_id, hours, pledged_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(slug, person_id) DO UPDATE SET hours = excluded.hours, pledged_at = excluded.pledged_at`,
      )
      .run(slug, personId, hours, new Date().toISOString());
  }

  async pledgeOf(slug: string, personId: string): Promise<number | null> {
    const row = this.db.prepare("SELECT hours FROM pledges WHERE slug = ? AND person_id = ?").get(slug, personId) as
      { hours: number } | undefined;
    return row?.hours ?? null;
  }

  async pledgeSummary(slug: string) {
    const row = this.db
      .prepare("SELECT COUNT(*) AS people, COALESCE(SUM(hours), 0) AS hours FROM pledges WHERE slug = ?")
      .get(slug) as {
      people: number;
      hours: number;
    };
    return row;
  }
}
