import { Composer, InputFile } from "grammy";
import { asciiFileName } from "../../services/exports.js";
import { ltr } from "../../format.js";
import { pledgeCampaign, SLUG } from "../../services/campaigns.js";
import { indicatorsReport, ramadanIndicators } from "../../services/indicators.js";
import { headquartersScope } from "./reports.js";
import type { BotContext } from "../context.js";

/** `/ramadan` (headquarters: indicators and ranking); `/action` opens its conversation from the registry. */
export const indicatorsFeature = new Composer<BotContext>();

indicatorsFeature.chatType("private").command("ramadan", async (ctx) => {
  const scope = await headquartersScope(ctx, "indicators.read");
  if (!scope) return;
  const slug = ctx.match.trim();
  const campaign =
    slug && SLUG.test(slug) ? await ctx.deps.store.campaigns.get(slug) : await pledgeCampaign(ctx.deps.store);
  if (!campaign || campaign.template !== "ramadan")
    // A command with its argument, a left-to-right run: isolated inside the Persian line.
    return ctx.reply(ctx.t("indicators.no_campaign", { example: ltr("/ramadan ramadan-1448") }));
  const rows = await ramadanIndicators(ctx.deps.store, campaign, scope.provinces, ctx.deps.timeZone);
  const report = indicatorsReport(ctx.deps.i18n, ctx.lang, campaign.title, rows);
  await ctx.reply(report.text);
  if (rows.length === 0) return;
  await ctx.replyWithPhoto(
    new InputFile(
      report.chart,
      asciiFileName("ranking_chart", new Date(ctx.deps.clock.now()), ctx.deps.timeZone, "png"),
    ),
  );
  await ctx.replyWithDocument(
    new InputFile(report.csv, asciiFileName("centres", new Date(ctx.deps.clock.now()), ctx.deps.timeZone)),
    {
      caption: ctx.t("report.csv_caption"),
    },
  );
});
