import type { Segment } from "../../domain/segment.js";

/** Campaigns, their runs and vows of service. */

export type CampaignTemplate = "ramadan" | "monthly";

/** A campaign: its slug is also its deep link (`/start <slug>`). */
export interface Campaign {
  slug: string;
  template: CampaignTemplate;
  title: string;
  /** Ramadan: the Hijri year. */
  hijriYear: number | null;
  /** Ramadan: days to move Umm al-Qura's start for Iran (−2…+2). */
  adjustDays: number;
  /** Monthly: the Jalali day of the month it runs on. */
  monthDay: number | null;
  /** Local hour (TZ_NAME) of the daily or monthly message. */
  hour: number;
  segment: Segment;
  status: "active" | "ended";
  createdBy: string | null;
  createdAt: Date;
}

export interface CampaignRepository {
  create(c: Omit<Campaign, "status" | "createdAt">): Promise<Campaign>;
  get(slug: string): Promise<Campaign | null>;
  listActive(): Promise<Campaign[]>;
  setStatus(slug: string, status: Campaign["status"]): Promise<void>;
  /**
   * Records that the message for one occurrence (`ramadan:7`, `1405-09`…)
   * went out as this broadcast. False when another worker recorded it first.
   */
  recordRun(slug: string, occurrence: string, broadcastId: string): Promise<boolean>;
  runs(slug: string): Promise<{ occurrence: string; broadcastId: string }[]>;
  /** A volunteer's vow of service (nazr-e khedmat), in hours; a new vow replaces the old. */
  pledge(slug: string, personId: string, hours: number): Promise<void>;
  pledgeOf(slug: string, personId: string): Promise<number | null>;
  pledgeSummary(slug: string): Promise<{ people: number; hours: number }>;
}
