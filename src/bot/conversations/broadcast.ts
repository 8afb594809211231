import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { BroadcastExtras, Language } from "../../store/port/index.js";
import { parseJalaliDateTime, parseWhen } from "../../domain/jalali-parse.js";
import type { Segment } from "../../domain/segment.js";
import { parseDeepLink } from "../../domain/deep-link.js";
import { countiesOf, isProvince, isRole, isSkill, PROVINCES, ROLES, SKILL_CATEGORIES } from "../../domain/taxonomy.js";
import { LANGUAGES } from "../../domain/person.js";
import { PLATFORMS, type Platform } from "../../platforms/capabilities.js";
import { pledgeCampaign } from "../../services/campaigns.js";
import { audienceCount, startBroadcast } from "../../services/broadcast-admin.js";
import { stepData } from "../../domain/callback-data.js";
import type { ConversationContext, HamdelConversation } from "../context.js";
import { formatJalaliDate } from "../../domain/jalali.js";
import { num } from "../../format.js";
import { headquartersScopeOf } from "../../services/access.js";
import { ask, askMany, inline, type ManyOptions } from "./kit/index.js";

/** A filter screen of the composer: none chosen means "all". */
const askFilter = <T extends string>(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  options: Omit<ManyOptions<T>, "doneLabel">,
) => askMany(conversation, ctx, { ...options, doneLabel: ctx.t("broadcast.continue") });

const MAX_TEXT = 4096;

/** What the admin may add to the text: a photo, a link button, an «I'm in» button. */
async function askExtras(
  conversation: HamdelConversation,
  ctx: ConversationContext,
): Promise<BroadcastExtras | undefined> {
  const extras: BroadcastExtras = { photo: null, link: null, imIn: false, buttons: null };
  const state = (on: boolean) => ctx.t(on ? "common.on" : "common.off");
  for (;;) {
    const keyboard = () =>
      inline(
        new InlineKeyboard()
          .text(ctx.t("broadcast.add_photo", { state: state(!!extras.photo) }), stepData.pack("bp"))
          .row()
          .text(ctx.t("broadcast.add_link", { state: state(!!extras.link) }), stepData.pack("bl"))
          .row()
          .text(ctx.t("broadcast.im_in", { state: state(extras.imIn) }), stepData.pack("bi"))
          .row()
          .text(ctx.t("broadcast.continue"), stepData.pack("bn")),
      );
    const choice = await ask<"photo" | "link" | "continue">(conversation, ctx, {
      expects: "buttons",
      prompt: () => ({ text: ctx.t("broadcast.extras"), markup: keyboard() }),
      handle: async (u) => {
        const p = stepData.parse(u.callbackQuery?.data);
        if (p?.kind === "bi") {
          extras.imIn = !extras.imIn;
          await u.editMessageReplyMarkup({ reply_markup: keyboard() });
          return { type: "stay" };
        }
        if (p?.kind === "bp") return { type: "value", value: "photo" };
        if (p?.kind === "bl") return { type: "value", value: "link" };
        if (p?.kind === "bn") return { type: "value", value: "continue" };
        return undefined;
      },
    });
    if (choice.type !== "value") return undefined;
    if (choice.value === "continue") return extras;
    if (choice.value === "photo") {
      const photo = await ask<string>(conversation, ctx, {
        expects: "buttons",
        prompt: () => ({ text: ctx.t("broadcast.send_photo") }),
        handle: (u) => {
          const sizes = u.message?.photo;
          return sizes?.length ? { type: "value", value: sizes[sizes.length - 1]!.file_id } : undefined;
        },
      });
      if (photo.type === "value") {
        extras.photo = { platform: ctx.caps.platform, fileId: photo.value };
        await ctx.reply(ctx.t("broadcast.photo_other_platform"));
      }
    } else {
      const link = await ask<{ text: string; url: string }>(conversation, ctx, {
        expects: "text",
        prompt: () => ({ text: ctx.t("broadcast.send_link") }),
        handle: (u) => {
          const [label, url] = (u.message?.text ?? "").split("\n").map((x) => x.trim());
          if (u.message?.text === undefined) return undefined;
          if (!label || label.length > 40 || !url || !/^https:\/\/[^\s]+$/.test(url))
            return { type: "error", key: "broadcast.bad_link" };
          return { type: "value", value: { text: label, url } };
        },
      });
      if (link.type === "value") extras.link = link.value;
    }
  }
}

/** Years of registration that make a volunteer a veteran in the composer's filter. */
const VETERAN_YEARS = 3;
/** …or this many hours of service credited in the time bank. */
const VETERAN_HOURS = 100;

const cycle = <T>(values: readonly T[], current: T) => values[(values.indexOf(current) + 1) % values.length]!;

/** Platform, language, vow takers, registration source and date: the rest of the segment. */
async function askMoreFilters(
  conversation: HamdelConversation,
  ctx: ConversationContext,
): Promise<Segment | undefined> {
  let platform: "all" | Platform = "all";
  let language: "all" | Language = "all";
  let pledgers = false;
  let veterans = false;
  let source: string | undefined;
  let since: Date | undefined;
  // The running vow campaign: its slug for the segment, its title for the button (not «ramadan-1448»).
  const running = await conversation.external(async (o) => {
    const c = await pledgeCampaign(o.deps.store);
    return c ? { slug: c.slug, title: c.title } : null;
  });
  const campaign = running?.slug ?? null;
  const any = ctx.t("broadcast.any");
  for (;;) {
    const keyboard = () => {
      const kb = new InlineKeyboard()
        .text(
          ctx.t("broadcast.platform_filter", { value: platform === "all" ? any : ctx.t(`platform_name.${platform}`) }),
          stepData.pack("mp"),
        )
        .row()
        .text(
          ctx.t("broadcast.language_filter", {
            value: language === "all" ? any : ctx.deps.i18n.t(language)("language_name"),
          }),
          stepData.pack("ml"),
        )
        .row();
      if (campaign)
        kb.text(
          ctx.t("broadcast.pledgers", {
            campaign: running!.title,
            state: ctx.t(pledgers ? "common.on" : "common.off"),
          }),
          stepData.pack("mv"),
        ).row();
      kb.text(
        ctx.t("broadcast.veterans", { state: ctx.t(veterans ? "common.on" : "common.off") }),
        stepData.pack("mx"),
      ).row();
      kb.text(ctx.t("broadcast.source_filter", { value: source ?? any }), stepData.pack("ms"))
        .row()
        .text(
          ctx.t("broadcast.since_filter", {
            value: since ? formatJalaliDate(since, ctx.lang, ctx.deps.timeZone) : any,
          }),
          stepData.pack("md"),
        )
        .row()
        .text(ctx.t("broadcast.continue"), stepData.pack("bn"));
      return inline(kb);
    };
    const choice = await ask<"source" | "since" | "continue">(conversation, ctx, {
      expects: "buttons",
      prompt: () => ({ text: ctx.t("broadcast.more"), markup: keyboard() }),
      handle: async (u) => {
        const p = stepData.parse(u.callbackQuery?.data);
        const redraw = async () => {
          await u.editMessageReplyMarkup({ reply_markup: keyboard() });
          return { type: "stay" } as const;
        };
        if (p?.kind === "mp") return ((platform = cycle(["all", ...PLATFORMS] as const, platform)), redraw());
        if (p?.kind === "ml") return ((language = cycle(["all", ...LANGUAGES] as const, language)), redraw());
        if (p?.kind === "mv" && campaign) return ((pledgers = !pledgers), redraw());
        if (p?.kind === "mx") return ((veterans = !veterans), redraw());
        if (p?.kind === "ms") return { type: "value", value: "source" };
        if (p?.kind === "md") return { type: "value", value: "since" };
        if (p?.kind === "bn") return { type: "value", value: "continue" };
        return undefined;
      },
    });
    if (choice.type !== "value") return undefined;
    if (choice.value === "continue")
      return {
        ...(platform !== "all" ? { platforms: [platform] } : {}),
        ...(language !== "all" ? { languages: [language] } : {}),
        ...(pledgers && campaign ? { pledgedIn: [campaign] } : {}),
        ...(veterans ? { veterans: { minYears: VETERAN_YEARS, minHours: VETERAN_HOURS } } : {}),
        ...(source ? { sources: [source] } : {}),
        ...(since ? { registeredSince: since.toISOString() } : {}),
      };
    if (choice.value === "source") {
      const typed = await ask<string>(conversation, ctx, {
        expects: "text",
        prompt: () => ({ text: ctx.t("broadcast.ask_source") }),
        handle: (u) => {
          const v = u.message?.text;
          if (v === undefined) return undefined;
          const slug = parseDeepLink(v);
          return slug ? { type: "value", value: slug } : { type: "error", key: "broadcast.bad_source" };
        },
      });
      if (typed.type === "value") source = typed.value;
    } else {
      const typed = await ask<number>(conversation, ctx, {
        expects: "text",
        prompt: () => ({ text: ctx.t("broadcast.ask_since") }),
        handle: (u) => {
          const v = u.message?.text;
          if (v === undefined) return undefined;
          const r = parseJalaliDateTime(v, ctx.deps.timeZone);
          return r.ok ? { type: "value", value: r.value.getTime() } : { type: "error", key: "broadcast.bad_when" };
        },
      });
      if (typed.type === "value") since = new Date(typed.value);
    }
  }
}

/** Shows the message exactly as recipients will see it. */
async function sendPreview(ctx: ConversationContext, text: string, extras: BroadcastExtras) {
  const rows: InlineKeyboardButton[][] = [];
  if (extras.link) rows.push([{ text: extras.link.text, url: extras.link.url }]);
  if (extras.imIn) rows.push([{ text: ctx.t("broadcast.im_in_button"), callback_data: stepData.pack("noop") }]);
  const markup = rows.length ? { reply_markup: { inline_keyboard: rows } } : {};
  if (extras.photo && [...text].length <= 1024)
    await ctx.replyWithPhoto(extras.photo.fileId, { caption: text, ...markup });
  else {
    if (extras.photo) await ctx.replyWithPhoto(extras.photo.fileId);
    await ctx.reply(text, markup);
  }
}

/**
 * A national admin composes a campaign broadcast: text, segment (provinces,
 * roles), the recipient count and a preview, then send now or at a Jalali
 * date and time. A progress message follows it with pause, resume, cancel.
 */
export async function broadcastConversation(conversation: HamdelConversation, ctx: ConversationContext) {
  const ref = { platform: ctx.caps.platform, userId: String(ctx.from!.id) };
  // National admins reach the whole country; a provincial admin only their province(s), whatever they choose.
  const scope = await conversation.external(async (o) => headquartersScopeOf(await o.deps.actors.of(ref)));
  if (!scope) {
    await ctx.reply(ctx.t("broadcast.not_allowed"));
    return;
  }
  const text = await ask<string>(conversation, ctx, {
    expects: "text",
    prompt: () => ({ text: ctx.t("broadcast.compose") }),
    handle: (u) => {
      const value = u.message?.text?.trim();
      if (value === undefined) return undefined;
      if ([...value].length > MAX_TEXT) return { type: "error", key: "broadcast.too_long" };
      return value ? { type: "value", value } : undefined;
    },
  });
  if (text.type !== "value") return;
  const extras = await askExtras(conversation, ctx);
  if (!extras) return;
  const provinces = await askFilter(conversation, ctx, {
    prompt: ctx.t("broadcast.provinces"),
    items: scope.provinces ?? PROVINCES.map((p) => p.id),
    label: (id) => ctx.t(`taxonomy.province.${id}`),
    // Only a province on this screen: a provincial admin's own.
    valid: (id) => isProvince(id) && (scope.provinces === null || scope.provinces.includes(id)),
    columns: 3,
  });
  if (provinces.type !== "value") return;
  const counties =
    provinces.value.length > 0 && provinces.value.length <= 3
      ? await askFilter(conversation, ctx, {
          prompt: ctx.t("broadcast.counties"),
          items: provinces.value.flatMap((p) => countiesOf(p).map((c) => `${p}.${c}`)),
          label: (id) => ctx.t(`taxonomy.county.${id}`),
          valid: (id) => provinces.value.some((p) => countiesOf(p).some((c) => `${p}.${c}` === id)),
          columns: 3,
        })
      : ({ type: "value", value: [] } as const);
  if (counties.type !== "value") return;
  const skills = await askFilter(conversation, ctx, {
    prompt: ctx.t("broadcast.skills"),
    items: SKILL_CATEGORIES.flatMap((c) => c.skills),
    label: (id) => ctx.t(`taxonomy.skill.${id}`),
    valid: isSkill,
    columns: 2,
  });
  if (skills.type !== "value") return;
  const roles = await askFilter(conversation, ctx, {
    prompt: ctx.t("broadcast.roles"),
    items: ROLES.map((r) => r.id),
    label: (id) => ctx.t(`taxonomy.role.${id}`),
    valid: isRole,
    columns: 2,
  });
  if (roles.type !== "value") return;
  const more = await askMoreFilters(conversation, ctx);
  if (!more) return;
  const segment: Segment = {
    ...(provinces.value.length
      ? { provinces: provinces.value }
      : scope.provinces
        ? { provinces: scope.provinces }
        : {}),
    ...(counties.value.length ? { counties: counties.value.map((c) => c.split(".")[1]!) } : {}),
    ...(skills.value.length ? { skills: skills.value } : {}),
    ...(roles.value.length ? { roles: roles.value } : {}),
    ...more,
  };
  // The console's count: the same scope check (a role revoked meanwhile counts nobody).
  const counted = await conversation.external(async (o) =>
    audienceCount(o.deps.store, await o.deps.actors.of(ref), segment),
  );
  if (!counted.ok) {
    await ctx.reply(ctx.t("broadcast.not_allowed"));
    return;
  }
  const count = counted.value;
  if (count === 0) {
    await ctx.reply(ctx.t("broadcast.nobody"));
    return;
  }
  await ctx.reply(ctx.t("broadcast.preview", { count: num(ctx.lang, count) }));
  await sendPreview(ctx, text.value, extras);

  let urgent = false;
  const decisionKeyboard = () =>
    inline(
      new InlineKeyboard()
        .text(ctx.t("broadcast.send_now"), stepData.pack("bs"))
        .text(ctx.t("broadcast.schedule"), stepData.pack("bw"))
        .row()
        .text(ctx.t("broadcast.urgent", { state: ctx.t(urgent ? "common.on" : "common.off") }), stepData.pack("bu"))
        .row()
        .text(ctx.t("broadcast.cancel"), stepData.pack("bx")),
    );
  const decision = await ask<"now" | "schedule" | "cancel">(conversation, ctx, {
    expects: "buttons",
    prompt: () => ({ text: ctx.t("broadcast.decide", { count: num(ctx.lang, count) }), markup: decisionKeyboard() }),
    handle: async (u) => {
      const p = stepData.parse(u.callbackQuery?.data);
      if (p?.kind === "bu") {
        urgent = !urgent;
        await u.editMessageReplyMarkup({ reply_markup: decisionKeyboard() });
        return { type: "stay" };
      }
      if (p?.kind === "bs") return { type: "value", value: "now" };
      if (p?.kind === "bw") return { type: "value", value: "schedule" };
      if (p?.kind === "bx") return { type: "value", value: "cancel" };
      return undefined;
    },
  });
  if (decision.type !== "value" || decision.value === "cancel") {
    await ctx.reply(ctx.t("broadcast.dropped"));
    return;
  }

  let notBefore = new Date(await conversation.now());
  if (decision.value === "schedule") {
    const now = notBefore.getTime();
    const when = await ask<number>(conversation, ctx, {
      expects: "text",
      prompt: () => ({ text: ctx.t("broadcast.when") }),
      handle: (u) => {
        const value = u.message?.text;
        if (value === undefined) return undefined;
        const r = parseWhen(value, ctx.deps.timeZone, new Date(now));
        if (!r.ok) return { type: "error", key: "broadcast.bad_when" };
        return r.value.getTime() <= now
          ? { type: "error", key: "broadcast.past_when" }
          : { type: "value", value: r.value.getTime() };
      },
    });
    if (when.type !== "value") return;
    notBefore = new Date(when.value);
  }

  const created = await conversation.external(async (o) => {
    // Checked again where it is acted on: the role may have been revoked meanwhile.
    const actor = await o.deps.actors.of(ref);
    const r = await startBroadcast(o.deps, actor, { text: text.value, segment, urgent, notBefore, ...extras });
    return r.ok ? { id: r.value.broadcast.id, queued: r.value.queued } : null;
  });
  if (!created) {
    await ctx.reply(ctx.t("broadcast.not_allowed"));
    return;
  }
  const report =
    decision.value === "schedule"
      ? ctx.t("broadcast.scheduled_for", {
          count: num(ctx.lang, created.queued),
          when: formatJalaliDate(notBefore, ctx.lang, ctx.deps.timeZone),
        })
      : ctx.t("broadcast.queued", { count: num(ctx.lang, created.queued) });
  const progress = await ctx.reply(report);
  await conversation.external((o) =>
    o.deps.broadcasts.watch(created.id, {
      platform: o.caps.platform,
      chatId: String(progress.chat.id),
      messageId: progress.message_id,
      language: ctx.lang,
    }),
  );
}
