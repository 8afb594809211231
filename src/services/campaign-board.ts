import type { Broadcast, Campaign, DeliveryProgress, Store } from "../store/port/index.js";
import type { I18n } from "../i18n.js";
import type { Logger } from "../logger.js";
import { audit, headquartersScopeOf, type Actor } from "./access.js";
import { campaignWindow, indicatorsReport, ramadanIndicators } from "./indicators.js";

export interface CampaignView {
  campaign: Campaign;
  pledges: { people: number; hours: number };
  /** Each message that went out (`ramadan:7`, `1405-09`…), newest first, with its progress. */
  runs: { occurrence: string; broadcast: Broadcast | null; progress: DeliveryProgress | null }[];
  /** Ramadan: its 30 days, and the ranking of «مثبت زندگی» centres within the reader's scope (text, chart). */
  ramadan: { from: Date; to: Date; report: ReturnType<typeof indicatorsReport>; centres: number } | null;
}

/**
 * The campaigns as headquarters read them (the console's page; `/ramadan`
 * in the chat gives the same ranking): each active campaign, its vows, each
 * message sent and its progress, and for Ramadan the centres' ranking within
 * the reader's provinces. Read only; the read is audited.
 */
export async function campaignBoard(
  d: { store: Store; i18n: I18n; logger: Logger; timeZone: string },
  actor: Actor,
): Promise<CampaignView[] | undefined> {
  const scope = headquartersScopeOf(actor);
  await audit(d.store, d.logger, {
    actor: actor.id,
    action: "indicators.read",
    scope: scope ? (scope.provinces?.join(",") ?? "*") : "*",
    target: null,
    outcome: scope ? "ok" : "refused",
  });
  if (!scope) return undefined;
  const campaigns = await d.store.campaigns.listActive();
  return Promise.all(
    campaigns.map(async (campaign) => {
      const runs = (await d.store.campaigns.runs(campaign.slug)).slice(-40).reverse();
      const ramadan =
        campaign.template === "ramadan" && campaign.hijriYear !== null
          ? await (async () => {
              const rows = await ramadanIndicators(d.store, campaign, scope.provinces, d.timeZone);
              const { from, to } = campaignWindow(campaign);
              return { from, to, report: indicatorsReport(d.i18n, "fa", campaign.title, rows), centres: rows.length };
            })()
          : null;
      return {
        campaign,
        pledges: await d.store.campaigns.pledgeSummary(campaign.slug),
        runs: await Promise.all(
          runs.map(async (r) => {
            const broadcast = await d.store.deliveries.getBroadcast(r.broadcastId);
            return {
              occurrence: r.occurrence,
              broadcast,
              progress: broadcast ? await d.store.deliveries.progress(broadcast.id) : null,
            };
          }),
        ),
        ramadan,
      };
    }),
  );
}
