import { Composer, InputFile } from "grammy";
import { actorFor, audit, headquartersScopeOf } from "../../services/access.js";
import { buildReport, volunteersCsv } from "../../services/reports.js";
import type { BotContext } from "../context.js";

/** `/report`: text, charts and a spreadsheet for national admins, or for a provincial admin's province. */
export const reportsFeature = new Composer<BotContext>();

/**
 * The headquarters' scope for a read (national, or a provincial admin's
 * provinces), audited; everyone else is told politely and the refusal logged.
 */
export async function headquartersScope(ctx: BotContext, action: string) {
  const actor = await actorFor(ctx.deps.store, ctx.deps.config, {
    platform: ctx.caps.platform,
    userId: String(ctx.from!.id),
  });
  const scope = headquartersScopeOf(actor);
  await audit(ctx.deps.store, ctx.deps.logger, {
    actor: actor.id,
    action,
    scope: scope ? (scope.provinces?.join(",") ?? "*") : "*",
    target: null,
    outcome: scope ? "ok" : "refused",
  });
  if (!scope) await ctx.reply(ctx.t("report.not_allowed"));
  return scope;
}

reportsFeature.chatType("private").command("report", async (ctx) => {
  const scope = await headquartersScope(ctx, "report.read");
  if (!scope) return;
  await ctx.replyWithChatAction("upload_photo").catch(() => undefined);
  const report = await buildReport(
    { store: ctx.deps.store, i18n: ctx.deps.i18n, timeZone: ctx.deps.config.timeZone },
    scope,
    ctx.lang,
  );
  await ctx.reply(report.text);
  for (const chart of report.charts) await ctx.replyWithPhoto(new InputFile(chart.png, chart.name));
  await ctx.replyWithDocument(new InputFile(report.csv, "hamdel-report.csv"), { caption: ctx.t("report.csv_caption") });
});

/** `/export`: the volunteers' contact list (personal data) within the admin's scope, audited. */
reportsFeature.chatType("private").command("export", async (ctx) => {
  const scope = await headquartersScope(ctx, "export.volunteers");
  if (!scope) return;
  const { csv, rows } = await volunteersCsv(
    { store: ctx.deps.store, i18n: ctx.deps.i18n, timeZone: ctx.deps.config.timeZone },
    scope,
    ctx.lang,
  );
  await ctx.replyWithDocument(new InputFile(csv, "hamdel-volunteers.csv"), {
    caption: ctx.t("report.export_caption", { n: rows }),
  });
});
