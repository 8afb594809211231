import { Composer, InputFile } from "grammy";
import { formatJalaliDate } from "../../domain/jalali.js";
import { actorFor, audit, isNational } from "../../services/access.js";
import { csvWithBom } from "../../services/exports.js";
import type { BotContext } from "../context.js";

/** `/audit`: national admins read the latest coordinator actions and get the log as a CSV file. */
export const auditFeature = new Composer<BotContext>();

/** How many records the export carries. */
export const AUDIT_EXPORT_LIMIT = 5000;

auditFeature.chatType("private").command("audit", async (ctx) => {
  const actor = await actorFor(ctx.deps.store, ctx.deps.config, {
    platform: ctx.caps.platform,
    userId: String(ctx.from.id),
  });
  if (!isNational(actor)) {
    await audit(ctx.deps.store, ctx.deps.logger, {
      actor: actor.id,
      action: "audit.read",
      scope: "*",
      target: null,
      outcome: "refused",
    });
    return ctx.reply(ctx.t("audit.not_allowed"));
  }
  const records = await ctx.deps.store.access.auditLog({ limit: AUDIT_EXPORT_LIMIT });
  await audit(ctx.deps.store, ctx.deps.logger, {
    actor: actor.id,
    action: "audit.export",
    scope: "*",
    target: null,
    outcome: "ok",
    details: { records: records.length },
  });
  if (records.length === 0) return ctx.reply(ctx.t("audit.empty"));
  const lines = records.slice(0, 15).map((r) =>
    ctx.t("audit.line", {
      date: formatJalaliDate(r.at, ctx.lang, ctx.deps.config.timeZone),
      actor: r.actor,
      action: r.action,
      scope: r.scope,
      outcome: ctx.t(`audit.outcome.${r.outcome}`),
    }),
  );
  await ctx.reply(`${ctx.t("audit.header")}\n\n${lines.join("\n")}`);
  const csv = csvWithBom(
    ["at", "actor", "action", "scope", "target", "outcome", "details"],
    records.map((r) => [
      r.at,
      r.actor,
      r.action,
      r.scope,
      r.target ?? "",
      r.outcome,
      r.details ? JSON.stringify(r.details) : "",
    ]),
  );
  await ctx.replyWithDocument(new InputFile(csv, "hamdel-audit.csv"), {
    caption: ctx.t("audit.caption", { n: records.length }),
  });
});
