import type { Broadcast, Campaign, CentreAction, DeliveryProgress, Store } from "../store/port/index.js";
import { campaignSummary } from "./campaign-runs.js";
import type { I18n } from "../i18n.js";
import type { Logger } from "../logger.js";
import { audit, headquartersScopeOf, isNational, type Actor } from "./access.js";
import { campaignWindow, indicatorsReport, ramadanIndicators } from "./indicators.js";

export interface CampaignView {
  campaign: Campaign;
  pledges: { people: number; hours: number };
  /** Each message that went out (`ramadan:7`, `1405-09`…), newest first, with its progress. */
  runs: { occurrence: string; broadcast: Broadcast | null; progress: DeliveryProgress | null }[];
  /** Ramadan: its 30 days, and the ranking of Positive Life centres within the reader's scope (text, chart). */
  ramadan: {
    from: Date;
    to: Date;
    report: ReturnType<typeof indicatorsReport>;
    centres: number;
    /** The local actions centres reported within its 30 days (in scope), newest first, with the centre's name. */
    actions: (CentreAction & { centreName: string })[];
  } | null;
  /** The end-of-campaign summary as the national admins are told it (national admins only: it covers the country). */
  summary: string | null;
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
              const { from, to, firstDay, lastDay } = campaignWindow(campaign);
              const names = new Map(rows.map((r) => [r.centre.code, r.centre.name]));
              const actions = names.size
                ? await d.store.centres.actions({ centreCodes: [...names.keys()], from: firstDay, to: lastDay })
                : [];
              return {
                from,
                to,
                report: indicatorsReport(d.i18n, "fa", campaign.title, rows),
                centres: rows.length,
                actions: actions
                  .sort((a, b) => b.date.localeCompare(a.date))
                  .slice(0, 100)
                  .map((a) => ({ ...a, centreName: names.get(a.centreCode) ?? a.centreCode })),
              };
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
        summary: isNational(actor) ? await campaignSummary(d.store, d.i18n, campaign, d.timeZone) : null,
      };
    }),
  );
}
