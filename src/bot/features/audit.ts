import { Composer, InputFile } from "grammy";
import { asciiFileName } from "../../services/exports.js";
import { isNational } from "../../services/access.js";
import { senderActor } from "../helpers/roles.js";
import { readAuditLog } from "../../services/audit-log.js";
import { parseJalaliDateTime } from "../../domain/jalali-parse.js";
import { num } from "../../format.js";
import type { BotContext } from "../context.js";

/** `/audit`: national admins read the latest coordinator actions and get the log as a CSV file. */
export const auditFeature = new Composer<BotContext>();

export { AUDIT_EXPORT_LIMIT, AUDIT_RANGE_LIMIT } from "../../services/audit-log.js";

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
  const actor = await senderActor(ctx);
  const args = ctx.match.trim();
  const range = args ? auditRange(args, ctx.deps.timeZone) : null;
  if (args && !range && isNational(actor)) return ctx.reply(ctx.t("audit.bad_range"));
  const read = await readAuditLog(
    { store: ctx.deps.store, logger: ctx.deps.logger, i18n: ctx.deps.i18n, timeZone: ctx.deps.timeZone },
    actor,
    range ?? {},
    ctx.lang,
  );
  if (!read.ok) return ctx.reply(ctx.t("audit.not_allowed"));
  const { rows, csv, cut, limit } = read.value;
  if (rows.length === 0) return ctx.reply(ctx.t("audit.empty"));
  const lines = rows.slice(0, 15).map((r) =>
    ctx.t("audit.line", {
      date: r.at,
      actor: r.actor,
      action: r.action,
      scope: r.scope,
      outcome: r.outcome + (r.count > 1 ? ` ×${num(ctx.lang, r.count)}` : ""),
    }),
  );
  await ctx.reply(`${ctx.t("audit.header")}\n\n${lines.join("\n")}`);
  await ctx.replyWithDocument(
    new InputFile(csv, asciiFileName("audit", new Date(ctx.deps.clock.now()), ctx.deps.timeZone)),
    {
      caption:
        ctx.t("audit.caption", { n: num(ctx.lang, rows.length) }) +
        (cut ? `\n${ctx.t(range ? "audit.cut_range" : "audit.latest_only", { n: num(ctx.lang, limit) })}` : ""),
    },
  );
});
