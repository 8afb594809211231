import { Composer, InlineKeyboard } from "grammy";
import { hoursOf } from "../../domain/ledger.js";
import { statement } from "../../services/ledger.js";
import { formatIsoDate, formatJalaliDate } from "../../domain/jalali.js";
import { REJECT_REASONS, type RejectReason } from "../../domain/needs.js";
import { institutionsOf } from "../../services/access.js";
import {
  answerOffer,
  approvalQueue,
  closeNeed,
  confirmReportedHours,
  decideOffer,
  needBoard,
  needLines,
  needWhat,
  needWithOffers,
  reasonsText,
  reportHours,
  repostNeed,
  repostPreview,
  reviewRequest,
  SERVICE_MINUTES,
  type HoursDone,
  type Refusal,
} from "../../services/matching/index.js";
import type { Result } from "../../domain/result.js";
import { needChanged } from "../../services/service-day/index.js";
import { gapsText } from "../../services/screening.js";
import { hoursAmountData, matchData, rejectReasonData } from "../../domain/callback-data.js";
import type { BotContext } from "../context.js";
import { senderActor } from "../helpers/roles.js";
import { replyMarkup } from "../helpers/buttons.js";
import { postedReply } from "../helpers/needs.js";
import { copyable, num } from "../../format.js";

/**
 * The time bank in the bot: volunteers answer notices, institutions decide
 * introductions, centres review requests and confirm hours, coordinators
 * post and follow needs, everyone sees their hours. Every button is checked
 * again on the server: who pressed it, and whether it still applies.
 */
export const timebankFeature = new Composer<BotContext>();

const private_ = timebankFeature.chatType("private");

private_.command("needs", (ctx) => sendNeedBoard(ctx));

/** The coordinator's needs, each with its details and (while it can be) its close button. */
async function sendNeedBoard(ctx: BotContext) {
  const board = await needBoard(ctx.deps.matching, await senderActor(ctx), 10);
  if (!board) return ctx.reply(ctx.t("need.no_centres"));
  if (board.needs.length === 0) return ctx.reply(ctx.t("needs.empty"));
  const byCode = new Map(board.centres.map((c) => [c.code, c]));
  const kb = new InlineKeyboard();
  const lines = board.needs.map((n, i) => {
    kb.text(ctx.t("needs.details", { n: num(ctx.lang, i + 1) }), matchData.needPack("v", n.id));
    if (["open", "partly_filled", "filled", "review"].includes(n.status))
      kb.text(ctx.t("needs.close", { n: num(ctx.lang, i + 1) }), matchData.needPack("c", n.id));
    if (n.kind === "centre" && ["filled", "closed", "expired"].includes(n.status))
      kb.text(ctx.t("needs.again", { n: num(ctx.lang, i + 1) }), matchData.needPack("a", n.id));
    kb.row();
    return `${num(ctx.lang, i + 1)}. ${ctx.t("needs.line", {
      status: ctx.t(`need.status.${n.status}`),
      what: needWhat(ctx.t, n),
      centre: byCode.get(n.centreCode)?.name ?? n.centreCode,
      filled: num(ctx.lang, n.filled),
      wanted: num(ctx.lang, n.wanted),
    })}\n   ${ctx.t("needs.dates", {
      from: formatJalaliDate(new Date(`${n.startDate}T12:00:00Z`), ctx.lang, ctx.deps.timeZone),
      to: formatJalaliDate(new Date(`${n.endDate}T12:00:00Z`), ctx.lang, ctx.deps.timeZone),
    })}`;
  });
  await ctx.reply(`${ctx.t("needs.header")}\n\n${lines.join("\n")}`, { reply_markup: kb });
}

/** A need's details, its closing or its posting again, from `/needs`: each through the service the console uses. */
timebankFeature.callbackQuery(/^nd:/, async (ctx) => {
  const parsed = matchData.need(ctx.callbackQuery.data);
  if (!parsed) return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
  const actor = await senderActor(ctx);
  if (parsed.action === "close") {
    // Closing cancels the sessions ahead and withdraws open offers: asked first (refusals are audited here too).
    const r = await closeNeed(ctx.deps.matching, actor, parsed.needId, true);
    if (!r.ok)
      return ctx.answerCallbackQuery({
        text: ctx.t(r.error === "state" ? "needs.not_closable" : "need.refused"),
        show_alert: true,
      });
    await ctx.answerCallbackQuery();
    return ctx.reply(ctx.t("needs.close_confirm", { what: needWhat(ctx.t, r.value) }), {
      reply_markup: new InlineKeyboard()
        .text(ctx.t("needs.close_yes"), matchData.needPack("x", parsed.needId))
        .row()
        .text(ctx.t("needs.close_no"), matchData.needPack("v", parsed.needId)),
    });
  }
  if (parsed.action === "confirm_close") {
    const r = await closeNeed(ctx.deps.matching, actor, parsed.needId);
    if (r.ok) await needChanged(ctx.deps.serviceDay, r.value.id);
    const text = r.ok ? "needs.closed" : r.error === "state" ? "needs.not_closable" : "need.refused";
    await ctx.answerCallbackQuery({ text: ctx.t(text), show_alert: true });
    if (!r.ok) return;
    // The confirmation's buttons go; the list as it is now follows.
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    return sendNeedBoard(ctx);
  }
  if (parsed.action === "again") {
    // The same need from today: asked first, with its new dates (refusals are audited here too).
    const r = await repostPreview(ctx.deps.matching, actor, parsed.needId);
    if (!r.ok)
      return ctx.answerCallbackQuery({
        text: ctx.t(r.error === "state" ? "needs.not_again" : "need.refused"),
        show_alert: true,
      });
    await ctx.answerCallbackQuery();
    const input = r.value;
    return ctx.reply(
      ctx.t("needs.again_confirm", {
        what: needWhat(ctx.t, input),
        wanted: num(ctx.lang, input.wanted),
        dates: ctx.t("needs.dates", {
          from: formatIsoDate(input.startDate, ctx.lang, ctx.deps.timeZone),
          to: formatIsoDate(input.endDate, ctx.lang, ctx.deps.timeZone),
        }),
      }),
      {
        reply_markup: new InlineKeyboard()
          .text(ctx.t("needs.again_yes"), matchData.needPack("y", parsed.needId))
          .row()
          .text(ctx.t("needs.close_no"), matchData.needPack("v", parsed.needId)),
      },
    );
  }
  if (parsed.action === "confirm_again") {
    const r = await repostNeed(ctx.deps.matching, actor, parsed.needId);
    if (!r.ok && r.error === "state")
      return ctx.answerCallbackQuery({ text: ctx.t("needs.not_again"), show_alert: true });
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    return ctx.reply(await postedReply(ctx, r));
  }
  const view = await needWithOffers(ctx.deps.matching, actor, parsed.needId, 20);
  if (!view) return ctx.answerCallbackQuery({ text: ctx.t("need.refused"), show_alert: true });
  await ctx.answerCallbackQuery();
  const { need, centre, offers } = view;
  const lines = offers.map(({ offer: o, person: p, gaps }) =>
    ctx.t("needs.offer_line", {
      code: copyable(p?.volunteerCode),
      status: ctx.t(`needs.offer_status.${o.status}`),
      score: num(ctx.lang, o.score),
      // A gated role: whether they still qualify today (a document may have expired since the offer).
      why: reasonsText(ctx.t, ctx.lang, o.reasons, true) + (gaps ? ` — ${gapsText(ctx.t, gaps)}` : ""),
    }),
  );
  await ctx.reply(
    ctx.t("needs.view", {
      need: needLines(ctx.t, ctx.lang, need, centre, ctx.deps.timeZone),
      filled: num(ctx.lang, need.filled),
      wanted: num(ctx.lang, need.wanted),
      status: ctx.t(`need.status.${need.status}`),
      waves: num(ctx.lang, need.waves),
      offers: lines.join("\n") || ctx.t("needs.no_offers"),
    }),
  );
});

/** A volunteer's answer to a match notice. */
timebankFeature.callbackQuery(/^of:/, async (ctx) => {
  const parsed = matchData.answer(ctx.callbackQuery.data);
  if (!parsed) return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
  if (!ctx.person) return ctx.answerCallbackQuery({ text: ctx.t("match.not_yours"), show_alert: true });
  const result = await answerOffer(ctx.deps.matching, ctx.person, parsed.offerId, parsed.answer);
  if (!result.ok && result.error === "not_found")
    return ctx.answerCallbackQuery({ text: ctx.t("match.not_yours"), show_alert: true });
  await ctx.answerCallbackQuery();
  const said = result.ok ? result.value : result.error;
  if (said !== "deferred") await ctx.editMessageReplyMarkup().catch(() => undefined);
  await ctx.reply(ctx.t(`match.${said}`));
});

/** An institution operator's decision on an accepted offer. */
timebankFeature.callbackQuery(/^od:/, async (ctx) => {
  const parsed = matchData.decision(ctx.callbackQuery.data);
  if (!parsed || (parsed.reason && !(REJECT_REASONS as readonly string[]).includes(parsed.reason)))
    return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
  const actor = await senderActor(ctx);
  if (parsed.kind === "n") {
    // Rejecting asks for a reason first; the decision itself is checked when it is chosen.
    if (!institutionsOf(actor).length)
      return ctx.answerCallbackQuery({ text: ctx.t("need.refused"), show_alert: true });
    await ctx.answerCallbackQuery();
    const kb = new InlineKeyboard();
    for (const r of REJECT_REASONS)
      kb.text(ctx.t(`match.reject_reason.${r}`), rejectReasonData(parsed.offerId, r)).row();
    return ctx.reply(ctx.t("match.reject_which"), { reply_markup: kb });
  }
  const approve = parsed.kind === "y";
  const r = await decideOffer(
    ctx.deps.matching,
    actor,
    parsed.offerId,
    approve,
    (parsed.reason as RejectReason) ?? null,
  );
  if (!r.ok) {
    const key =
      r.error === "forbidden" ? "need.refused" : r.error === "state" ? "match.already_decided" : "match.closed";
    return ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });
  }
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await ctx.reply(ctx.t(approve ? "match.approved_done" : "match.rejected_done"));
});

/** A centre's review of a citizen's time-bank request. */
timebankFeature.callbackQuery(/^rq:/, async (ctx) => {
  const parsed = matchData.review(ctx.callbackQuery.data);
  if (!parsed) return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
  const r = await reviewRequest(ctx.deps.matching, await senderActor(ctx), parsed.needId, parsed.approve);
  if (!r.ok) {
    const key = r.error === "forbidden" ? "need.refused" : "request.already_reviewed";
    return ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });
  }
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await ctx.reply(ctx.t(parsed.approve ? "request.approved_done" : "request.rejected_done"));
});

const hoursReply = (ctx: BotContext, r: Result<HoursDone, Refusal>) => {
  if (!r.ok) return ctx.reply(ctx.t("hours.refused"));
  const done = r.value;
  const hours = num(ctx.lang, done.minutes / 60);
  if (done.status === "sent_for_confirmation") return ctx.reply(ctx.t("hours.sent_for_confirmation", { hours }));
  return ctx.reply(done.created ? ctx.t("hours.credited_reply", { hours }) : ctx.t("hours.already"));
};

/** Hours: open the picker, report an amount, or (a requester) confirm a volunteer's report. */
timebankFeature.callbackQuery(/^h[rhc]:/, async (ctx) => {
  const parsed = matchData.hours(ctx.callbackQuery.data);
  if (!parsed || (parsed.minutes !== undefined && !(SERVICE_MINUTES as readonly number[]).includes(parsed.minutes)))
    return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
  await ctx.answerCallbackQuery();
  if (parsed.kind === "hr") {
    const kb = new InlineKeyboard();
    SERVICE_MINUTES.forEach((m, i) => {
      if (i > 0 && i % 3 === 0) kb.row();
      kb.text(ctx.t("hours.amount", { hours: num(ctx.lang, m / 60) }), hoursAmountData(parsed.id, m));
    });
    return ctx.reply(ctx.t("hours.ask"), { reply_markup: kb });
  }
  const actor = await senderActor(ctx);
  const r =
    parsed.kind === "hh"
      ? await reportHours(ctx.deps.matching, actor, ctx.person, parsed.id, parsed.minutes!)
      : await confirmReportedHours(ctx.deps.matching, actor, ctx.person, parsed.id);
  if (r.ok) await ctx.editMessageReplyMarkup().catch(() => undefined);
  await hoursReply(ctx, r);
});

/** `/approvals`: an institution operator's introductions awaiting a decision. */
private_.command("approvals", async (ctx) => {
  const queue = await approvalQueue(ctx.deps.matching, await senderActor(ctx), ctx.lang, 10);
  if (!queue) return ctx.reply(ctx.t("approvals.not_operator"));
  if (queue.length === 0) return ctx.reply(ctx.t("approvals.none"));
  for (const { text, buttons } of queue)
    await ctx.reply(text, {
      reply_markup: replyMarkup(buttons),
    });
});

/** `/hours`: the person's time-bank balance and latest entries. */
private_.command("hours", async (ctx) => {
  if (!ctx.person?.registeredAt) return ctx.reply(ctx.t("profile.not_registered"));
  const {
    balanceMinutes: balance,
    givenMinutes: given,
    lines: history,
  } = await statement(ctx.deps.store, ctx.person.id, 10);
  if (history.length === 0) return ctx.reply(ctx.t("hours.empty"));
  const h = (m: number) => num(ctx.lang, hoursOf(m));
  // Each credit says where: the centre on the other side of the entry (a service at a centre).
  const lines = history.map((e) => {
    const centre = e.centre;
    return ctx.t("hours.history_line", {
      date: formatJalaliDate(e.at, ctx.lang, ctx.deps.timeZone),
      sign: e.minutes > 0 ? "+" : "−",
      hours: h(Math.abs(e.minutes)),
      kind:
        e.kind === "service" && centre
          ? ctx.t("hours.kind_service_at", { centre })
          : ctx.t(e.kind === "service" ? "hours.kind_service" : "hours.kind_correction"),
    });
  });
  await ctx.reply(
    `${ctx.t("hours.summary", { given: h(given), received: h(given - balance), balance: h(balance) })}\n\n${ctx.t("hours.history_header")}\n${lines.join("\n")}\n\n${ctx.t("hours.certificate_hint")}`,
  );
});
