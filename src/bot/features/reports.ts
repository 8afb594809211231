import { Composer, InputFile } from "grammy";
import { asciiFileName } from "../../services/exports.js";
import { audit, headquartersScopeOf } from "../../services/access.js";
import { senderActor } from "../helpers/roles.js";
import { buildReport, volunteersCsv } from "../../services/reports.js";
import { registrationFunnel, type FunnelStep } from "../../services/funnel.js";
import { num } from "../../format.js";
import type { BotContext } from "../context.js";

/** `/report`: text, charts and a spreadsheet for national admins, or for a provincial admin's province. */
export const reportsFeature = new Composer<BotContext>();

/**
 * The headquarters' scope for a read (national, or a provincial admin's
 * provinces), audited; everyone else is told politely and the refusal logged.
 */
export async function headquartersScope(ctx: BotContext, action: string) {
  const actor = await senderActor(ctx);
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

/** The registration funnel in words: each step, how many reached it and how many stopped there. */
function funnelText(ctx: BotContext, rows: FunnelStep[], provinces: string[] | null): string {
  const lines = rows.map((r) =>
    ctx.t(r.step === "registered" ? "report.funnel_done" : "report.funnel_line", {
      step: ctx.t(r.step === "consent" ? "report.funnel_consent" : `field.${r.step}`),
      reached: num(ctx.lang, r.reached),
      left: num(ctx.lang, r.left),
    }),
  );
  return `${ctx.t(provinces ? "report.funnel_header_scoped" : "report.funnel_header")}\n${lines.join("\n")}`;
}

reportsFeature.chatType("private").command("report", async (ctx) => {
  const scope = await headquartersScope(ctx, "report.read");
  if (!scope) return;
  await ctx.replyWithChatAction("upload_photo").catch(() => undefined);
  const report = await buildReport(
    { store: ctx.deps.store, i18n: ctx.deps.i18n, timeZone: ctx.deps.timeZone },
    scope,
    ctx.lang,
    new Date(ctx.deps.clock.now()),
  );
  await ctx.reply(`${report.text}\n\n${ctx.t("report.follows")}`);
  await ctx.reply(
    funnelText(
      ctx,
      await registrationFunnel(ctx.deps.store, null, scope.provinces, ctx.deps.actors.admins),
      scope.provinces,
    ),
  );
  for (const chart of report.charts) await ctx.replyWithPhoto(new InputFile(chart.png, chart.name));
  await ctx.replyWithDocument(
    new InputFile(report.csv, asciiFileName("report", new Date(ctx.deps.clock.now()), ctx.deps.timeZone)),
    { caption: ctx.t("report.csv_caption") },
  );
});

/** `/export`: the volunteers' contact list (personal data) within the admin's scope, audited. */
reportsFeature.chatType("private").command("export", async (ctx) => {
  const scope = await headquartersScope(ctx, "export.volunteers");
  if (!scope) return;
  const { csv, rows } = await volunteersCsv(
    { store: ctx.deps.store, i18n: ctx.deps.i18n, timeZone: ctx.deps.timeZone },
    scope,
    ctx.lang,
  );
  await ctx.replyWithDocument(
    new InputFile(csv, asciiFileName("volunteers", new Date(ctx.deps.clock.now()), ctx.deps.timeZone)),
    {
      caption: ctx.t("report.export_caption", { n: num(ctx.lang, rows) }),
    },
  );
});
