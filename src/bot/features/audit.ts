import { Composer, InputFile } from "grammy";
import { formatJalaliDateTime } from "../../domain/jalali.js";
import { actorLabel, auditScopeLabel } from "../helpers/scope.js";
import { actorFor, audit, isNational } from "../../services/access.js";
import { csvWithBom } from "../../services/exports.js";
import { parseJalaliDateTime } from "../../domain/jalali-parse.js";
import { num } from "../../format.js";
import type { BotContext } from "../context.js";

/** `/audit`: national admins read the latest coordinator actions and get the log as a CSV file. */
export const auditFeature = new Composer<BotContext>();

/** How many records the export carries without a date range. */
export const AUDIT_EXPORT_LIMIT = 5000;
/** How many records one date range's export may carry (a larger range is cut, and the admin told). */
export const AUDIT_RANGE_LIMIT = 100_000;

/** `/audit <from> [<to>]`: Jalali dates, both days included; `null` when the text is not such a range. */
export function auditRange(text: string, timeZone: string): { since: Date; until: Date } | null {
  const [from, to, extra] = text.trim().split(/\s+/);
  if (!from || extra !== undefined) return null;
  const since = parseJalaliDateTime(from, timeZone);
  const last = parseJalaliDateTime(to ?? from, timeZone);
  if (!since.ok || !last.ok || last.value < since.value) return null;
  // The end of the last day: the start of the next one (a day later, whatever the clock did).
  return { since: since.value, until: new Date(last.value.getTime() + 24 * 3_600_000) };
}

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
  const args = ctx.match.trim();
  const range = args ? auditRange(args, ctx.deps.config.timeZone) : null;
  if (args && !range) return ctx.reply(ctx.t("audit.bad_range"));
  const limit = range ? AUDIT_RANGE_LIMIT : AUDIT_EXPORT_LIMIT;
  const records = await ctx.deps.store.access.auditLog({ ...range, limit });
  await audit(ctx.deps.store, ctx.deps.logger, {
    actor: actor.id,
    action: "audit.export",
    scope: "*",
    target: null,
    outcome: "ok",
    details: { records: records.length, ...(range ? { since: range.since, until: range.until } : {}) },
  });
  if (records.length === 0) return ctx.reply(ctx.t("audit.empty"));
  // Every label, header and time in Persian, Tehran time, Jalali dates; names for accounts and scopes.
  const { store } = ctx.deps;
  const tz = ctx.deps.config.timeZone;
  const actors = new Map<string, string>();
  const scopes = new Map<string, string>();
  for (const r of records) {
    if (!actors.has(r.actor)) actors.set(r.actor, await actorLabel(ctx.t, ctx.lang, store, r.actor));
    if (!scopes.has(r.scope)) scopes.set(r.scope, await auditScopeLabel(ctx.t, store, r.scope));
  }
  const action = (code: string) => ctx.t(`audit.action.${code}`, { defaultValue: code });
  const lines = records.slice(0, 15).map((r) =>
    ctx.t("audit.line", {
      date: formatJalaliDateTime(r.at, ctx.lang, tz),
      actor: actors.get(r.actor),
      action: action(r.action),
      scope: scopes.get(r.scope),
      outcome: ctx.t(`audit.outcome.${r.outcome}`) + (r.count > 1 ? ` ×${num(ctx.lang, r.count)}` : ""),
    }),
  );
  await ctx.reply(`${ctx.t("audit.header")}\n\n${lines.join("\n")}`);
  const csv = csvWithBom(
    (["at", "last_at", "count", "actor", "action", "scope", "target", "outcome", "details"] as const).map((h) =>
      ctx.t(`audit.csv.${h}`),
    ),
    records.map((r) => [
      formatJalaliDateTime(r.at, ctx.lang, tz),
      formatJalaliDateTime(r.lastAt, ctx.lang, tz),
      r.count,
      actors.get(r.actor),
      action(r.action),
      scopes.get(r.scope),
      r.target ?? "",
      ctx.t(`audit.outcome.${r.outcome}`),
      r.details ? JSON.stringify(r.details) : "",
    ]),
  );
  await ctx.replyWithDocument(new InputFile(csv, "hamdel-audit.csv"), {
    caption:
      ctx.t("audit.caption", { n: num(ctx.lang, records.length) }) +
      (records.length >= limit
        ? `\n${ctx.t(range ? "audit.cut_range" : "audit.latest_only", { n: num(ctx.lang, limit) })}`
        : ""),
  });
});
