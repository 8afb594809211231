import { Composer, InlineKeyboard } from "grammy";
import { pledgeCampaign, pledgeHours, PLEDGE_HOURS, SLUG } from "../../services/campaigns.js";
import type { BotContext } from "../context.js";
import { num } from "../../format.js";
import { formatJalaliDate } from "../../domain/jalali.js";
import { nextRamadanStart } from "../../domain/ramadan.js";

/** `/pledge`: a registered volunteer's vow of service (nazr-e khedmat) for the open Ramadan campaign. */
export const pledgeFeature = new Composer<BotContext>();

const pledgeData = {
  pack: (hours: number, slug: string) => `pl:${hours}:${slug}`,
  parse(data: string | undefined) {
    const m = /^pl:(\d{1,3}):(.+)$/.exec(data ?? "");
    if (!m || !SLUG.test(m[2]!) || !(PLEDGE_HOURS as readonly number[]).includes(Number(m[1]))) return undefined;
    return { hours: Number(m[1]), slug: m[2]! };
  },
};

pledgeFeature.chatType("private").command("pledge", async (ctx) => {
  if (!ctx.person?.registeredAt) return ctx.reply(ctx.t("profile.not_registered"));
  const campaign = await pledgeCampaign(ctx.deps.store);
  // No vow campaign running: when the next Ramadan begins (Iran's start may differ by a day), so the person knows.
  if (!campaign)
    return ctx.reply(
      ctx.t("pledge.none_active_next", {
        date: formatJalaliDate(nextRamadanStart(new Date(ctx.deps.clock.now())), ctx.lang, ctx.deps.timeZone),
      }),
    );
  const kb = new InlineKeyboard();
  for (const h of PLEDGE_HOURS)
    kb.text(ctx.t("pledge.hours", { n: num(ctx.lang, h) }), pledgeData.pack(h, campaign.slug));
  await ctx.reply(ctx.t("pledge.prompt", { title: campaign.title }), { reply_markup: kb });
});

pledgeFeature.callbackQuery(/^pl:/, async (ctx) => {
  const choice = pledgeData.parse(ctx.callbackQuery.data);
  if (!choice || !(await pledgeHours(ctx.deps.store, ctx.person ?? null, choice.slug, choice.hours)))
    return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await ctx.reply(ctx.t("pledge.saved", { hours: num(ctx.lang, choice.hours) }));
});
