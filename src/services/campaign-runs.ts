import { jalaliParts } from "../domain/jalali.js";
import { num } from "../format.js";
import { localHour } from "../domain/quiet-hours.js";
import { ramadanDay, ramadanStart } from "../domain/ramadan.js";
import type { I18n } from "../i18n.js";
import { indicatorsReport, ramadanIndicators } from "./indicators.js";
import type { Logger } from "../logger.js";
import { createBroadcast } from "./broadcast.js";
import type { Campaign, Store } from "../store/port/index.js";

export const RAMADAN_DAYS = 30;

/** The placeholder the engine fills with each recipient's vow of service. */
export const pledgePlaceholder = (slug: string) => `{pledge:${slug}}`;
export const PLEDGE_PLACEHOLDER = /\{pledge:([A-Za-z0-9_-]{1,40})\}/;

const persianDigits = new Intl.NumberFormat("fa-IR", { useGrouping: false });

/** What a campaign sends now, if anything: its occurrence key (idempotency) and text. */
export function dueOccurrence(
  c: Campaign,
  now: Date,
  timeZone: string,
  i18n: I18n,
): { key: string; text: string } | { ended: true } | null {
  if (localHour(now, timeZone) < c.hour) return null;
  const t = i18n.t("fa");
  if (c.template === "ramadan" && c.hijriYear) {
    const start = ramadanStart(c.hijriYear, c.adjustDays);
    const local = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).format(now);
    const today = new Date(`${local}T00:00:00Z`);
    const day = ramadanDay(today, start, RAMADAN_DAYS);
    if (day === null) return today > start ? { ended: true } : null;
    const text = t("campaign.ramadan_day", {
      title: c.title,
      day: persianDigits.format(day),
      total: persianDigits.format(RAMADAN_DAYS),
    });
    return { key: `ramadan:${day}`, text: `${text}\n\n${pledgePlaceholder(c.slug)}` };
  }
  if (c.template === "monthly" && c.monthDay) {
    const { year, month, day } = jalaliParts(now, timeZone);
    if (day !== c.monthDay) return null;
    return { key: `${year}-${String(month).padStart(2, "0")}`, text: t("campaign.monthly", { title: c.title }) };
  }
  return null;
}

/**
 * Sends every active campaign's message that is due. Safe with several
 * workers: the occurrence is recorded once; a worker that loses the race
 * cancels its own copy before anything is sent (the broadcast starts paused).
 */
/** The end-of-campaign summary for coordinators. */
export async function campaignSummary(store: Store, i18n: I18n, c: Campaign, timeZone: string): Promise<string> {
  const runs = await store.campaigns.runs(c.slug);
  let sent = 0;
  let unreachable = 0;
  for (const r of runs) {
    const p = await store.deliveries.progress(r.broadcastId);
    sent += p.sent;
    unreachable += p.unreachable;
  }
  const pledges = await store.campaigns.pledgeSummary(c.slug);
  const fa = (n: number) => num("fa", n);
  const summary = i18n.t("fa")("campaign.summary", {
    title: c.title,
    runs: fa(runs.length),
    sent: fa(sent),
    unreachable: fa(unreachable),
    ...Object.fromEntries(Object.entries(pledges).map(([k, v]) => [k, fa(v)])),
  });
  if (c.template !== "ramadan") return summary;
  // Ramadan: the centres' ranking for the national and provincial headquarters.
  const rows = await ramadanIndicators(store, c, null, timeZone);
  return rows.length ? `${summary}\n\n${indicatorsReport(i18n, "fa", c.title, rows, 5).text}` : summary;
}

export async function runCampaigns(
  store: Store,
  i18n: I18n,
  logger: Logger,
  now: Date,
  timeZone: string,
  /** Told the summary when a campaign ends (the app sends it to the national admins). */
  onEnded?: (summary: string) => Promise<void>,
): Promise<string[]> {
  const started: string[] = [];
  for (const c of await store.campaigns.listActive()) {
    const due = dueOccurrence(c, now, timeZone, i18n);
    if (!due) continue;
    if ("ended" in due) {
      await store.campaigns.setStatus(c.slug, "ended");
      logger.info({ campaign: c.slug }, "campaign ended");
      await onEnded?.(await campaignSummary(store, i18n, c, timeZone));
      continue;
    }
    if ((await store.campaigns.runs(c.slug)).some((r) => r.occurrence === due.key)) continue;
    const { broadcast } = await createBroadcast(store, {
      text: due.text,
      segment: c.segment,
      urgent: false,
      notBefore: now,
      createdBy: `campaign:${c.slug}`,
    });
    await store.deliveries.setBroadcastStatus(broadcast.id, "paused");
    if (await store.campaigns.recordRun(c.slug, due.key, broadcast.id)) {
      await store.deliveries.setBroadcastStatus(broadcast.id, "running");
      started.push(broadcast.id);
      logger.info(
        { campaign: c.slug, occurrence: due.key, broadcast: broadcast.id, recipients: broadcast.total },
        "campaign message queued",
      );
    } else {
      await store.deliveries.setBroadcastStatus(broadcast.id, "cancelled");
    }
  }
  return started;
}
