import { jalaliYear } from "../domain/jalali.js";
import { ramadanStart } from "../domain/ramadan.js";
import type { Segment } from "../domain/segment.js";
import type { I18n } from "../i18n.js";
import { PLEDGE_PLACEHOLDER } from "./campaign-runs.js";
import type { Campaign, Delivery, Person, Store } from "../store/port/index.js";

const persianDigits = new Intl.NumberFormat("fa-IR", { useGrouping: false });

/** Vows of service people can choose, in hours. */
export const PLEDGE_HOURS = [5, 10, 20, 30] as const;

export const SLUG = /^[A-Za-z0-9_-]{1,40}$/;

/** The Ramadan template: daily reminders at `hour` for the 30 days from Umm al-Qura's start ± `adjustDays`. */
export function ramadanCampaign(
  i18n: I18n,
  o: {
    hijriYear: number;
    adjustDays?: number;
    hour?: number;
    slug?: string;
    segment?: Segment;
    createdBy?: string | null;
  },
): Omit<Campaign, "status" | "createdAt"> {
  // Fails early for a year Intl cannot place. The title names the Iranian year of its first day (1405 for
  // 1448 AH), the year people in Iran count by; the slug keeps the Hijri year.
  const start = ramadanStart(o.hijriYear, o.adjustDays ?? 0);
  return {
    slug: o.slug ?? `ramadan-${o.hijriYear}`,
    template: "ramadan",
    title: i18n.t("fa")("campaign.ramadan_title", { year: persianDigits.format(jalaliYear(start, "Asia/Tehran")) }),
    hijriYear: o.hijriYear,
    adjustDays: o.adjustDays ?? 0,
    monthDay: null,
    hour: o.hour ?? 19,
    segment: o.segment ?? {},
    createdBy: o.createdBy ?? null,
  };
}

/** Salam Mahalle ("Hello Neighbourhood"): once a month on a Jalali day of the month. */
export function monthlyCampaign(
  i18n: I18n,
  o: { monthDay?: number; hour?: number; slug?: string; segment?: Segment; createdBy?: string | null },
): Omit<Campaign, "status" | "createdAt"> {
  return {
    slug: o.slug ?? "salam-mahalle",
    template: "monthly",
    title: i18n.t("fa")("campaign.monthly_title"),
    hijriYear: null,
    adjustDays: 0,
    monthDay: o.monthDay ?? 1,
    hour: o.hour ?? 18,
    segment: o.segment ?? {},
    createdBy: o.createdBy ?? null,
  };
}

/** Fills a campaign reminder's pledge placeholder with the recipient's own vow. */
export function pledgePersonalizer(store: Store, i18n: I18n) {
  const t = i18n.t("fa");
  return async (d: Delivery): Promise<string> => {
    const m = PLEDGE_PLACEHOLDER.exec(d.text);
    if (!m) return d.text;
    const hours = await store.campaigns.pledgeOf(m[1]!, d.personId);
    const line = hours
      ? t("campaign.pledge_progress", { hours: persianDigits.format(hours) })
      : t("campaign.pledge_invite");
    return d.text.replace(m[0], line);
  };
}

/** The campaign open for vows now: the newest active Ramadan campaign. */
export async function pledgeCampaign(store: Store): Promise<Campaign | null> {
  return (await store.campaigns.listActive()).filter((c) => c.template === "ramadan").at(-1) ?? null;
}

/**
 * A registered volunteer's vow of service for an active campaign (the
 * buttons under `/pledge`): `false` when the campaign is not there or not
 * active, or the person is not registered, and nothing is stored.
 */
export async function pledgeHours(store: Store, person: Person | null, slug: string, hours: number): Promise<boolean> {
  const campaign = await store.campaigns.get(slug);
  if (!campaign || campaign.status !== "active" || !person?.registeredAt) return false;
  await store.campaigns.pledge(slug, person.id, hours);
  return true;
}
