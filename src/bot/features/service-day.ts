import { Composer, InputFile } from "grammy";
import { isCheckInPayload, typedDigits } from "../../domain/check-in.js";
import { formatJalaliDateTime, isoDateIn, addDaysIso } from "../../domain/jalali.js";
import { hoursOf } from "../../domain/ledger.js";
import { centresOf, institutionsOf } from "../../services/access.js";
import { nowOf } from "../../services/matching/deps.js";
import {
  answerSession,
  approveAttendance,
  centreDigest,
  certificatePdf,
  checkIn,
  checkInByDigits,
  checkInLocation,
  checkInPoster,
  checkOut,
  digestText,
  hasServed,
  issueCertificate,
  sessionButtons,
  sessionLine,
  volunteerSchedule,
} from "../../services/service-day/index.js";
import { copyable, digits, num } from "../../format.js";
import { attendanceData, sessionData } from "../../domain/callback-data.js";
import type { BotContext } from "../context.js";
import { actorOf as actorId, senderActor } from "../helpers/roles.js";
import { replyMarkup } from "../helpers/buttons.js";
import { senderIdentity } from "../helpers/identity.js";

/**
 * The day of service in the chat: `/schedule` (a volunteer's sessions, and a
 * coordinator's centres today and tomorrow), the answers to reminders,
 * check-in by the centre's link and check-out by a button, the centre's
 * check-in poster (`/checkin`), and `/certificate`.
 */
export const serviceDayFeature = new Composer<BotContext>();
const private_ = serviceDayFeature.chatType("private");

/** `/start ci_…`: the centre's check-in link (its QR code), handled before the ordinary start. */
private_.command("start", async (ctx, next) => {
  const payload = ctx.match.trim();
  if (!isCheckInPayload(payload)) return next();
  await checkInReply(ctx, payload);
});

/**
 * The same code sent as a message: Bale's `?start=` deep links are seen in
 * code but undocumented (BALE.md, low confidence), so the poster also prints
 * the code, to send if the link opens the bot without it.
 */
private_.hears(/^\s*(ci_[A-Za-z0-9_-]{1,60})\s*$/, (ctx) => checkInReply(ctx, ctx.match[1]!));

/**
 * The day's six digits typed (on the poster, for a phone that reads no QR code): a check-in when the person has a
 * session in its window; any other six digits go on to the other features.
 */
private_.on("message:text", async (ctx, next) => {
  const typed = typedDigits(ctx.message.text);
  if (!typed) return next();
  const person = ctx.person ?? null;
  const r = await checkInByDigits(ctx.deps.serviceDay, person, typed);
  if (!r) return next();
  await answerCheckIn(ctx, r);
});

async function checkInReply(ctx: BotContext, payload: string) {
  const identity = senderIdentity(ctx);
  if (!identity) return;
  const person = ctx.person ?? (await ctx.deps.store.people.findByIdentity(identity));
  await answerCheckIn(ctx, await checkIn(ctx.deps.serviceDay, person, actorId(ctx), payload));
}

/** A check-in's answer (by the link or the digits): the time, the check-out button, and the optional location. */
async function answerCheckIn(
  ctx: BotContext,
  r: Awaited<ReturnType<typeof checkIn>> | NonNullable<Awaited<ReturnType<typeof checkInByDigits>>>,
) {
  if (!r.ok) return ctx.reply(ctx.t(`service.check_in_${r.error}`));
  const { session, centre, already } = r.value;
  await ctx.reply(
    ctx.t(already ? "service.already_in" : "service.checked_in", {
      centre: centre.name,
      time: formatJalaliDateTime(session.checkInAt ?? new Date(ctx.deps.clock.now()), ctx.lang, ctx.deps.timeZone),
    }),
    { reply_markup: replyMarkup(sessionButtons(ctx.t, session)) },
  );
  // Optional: where the phone is, for the coordinator (a check-in far from the centre is flagged, never refused).
  if (!already && centre.location)
    await ctx.reply(ctx.t("service.location_ask"), {
      reply_markup: {
        keyboard: [
          [{ text: ctx.t("service.location_button"), request_location: true }],
          [{ text: ctx.t("service.location_skip") }],
        ],
        resize_keyboard: true,
        one_time_keyboard: true,
      },
    });
}

/** A location shared while checked in (the optional question after a check-in): kept on the session. */
private_.on(":location", async (ctx, next) => {
  const { latitude, longitude } = ctx.msg.location;
  const r = await checkInLocation(ctx.deps.serviceDay, ctx.person ?? null, { lat: latitude, lon: longitude });
  if (!r.ok) return next();
  await ctx.reply(ctx.t("service.location_thanks"), { reply_markup: { remove_keyboard: true } });
});

/** «No need» under that question: the keyboard goes, nothing is kept. */
private_.filter(
  (ctx) => ctx.msg?.text !== undefined && ctx.msg.text === ctx.t("service.location_skip"),
  (ctx) => ctx.reply(ctx.t("service.location_skipped"), { reply_markup: { remove_keyboard: true } }),
);

private_.command("schedule", async (ctx) => {
  const d = ctx.deps.serviceDay;
  const parts: string[] = [];
  const person = ctx.person;
  const mine = person?.registeredAt ? await volunteerSchedule(d, person.id) : [];
  if (mine.length > 0)
    parts.push(
      `${ctx.t("service.schedule_header")}\n${mine
        .map(({ session, centre }) => sessionLine(ctx.t, ctx.lang, d.timeZone, session, centre))
        .join("\n")}`,
    );
  // A coordinator also sees their centres' today and tomorrow.
  const centres = await centresOf(ctx.deps.store, await senderActor(ctx));
  const today = isoDateIn(nowOf(d), d.timeZone);
  for (const centre of centres.slice(0, 5))
    for (const date of [today, addDaysIso(today, 1)]) {
      const digest = await centreDigest(d, centre, date);
      if (digest.people.length > 0 || digest.unfilled > 0)
        parts.push(digestText(ctx.t, ctx.lang, d.timeZone, centre, date, digest));
    }
  if (parts.length === 0) {
    // Nothing to list: say why, for who is asking (a centre's coordinator, an operator, a volunteer served or waiting).
    const why = centres.length
      ? "service.schedule_empty_centres"
      : institutionsOf(await senderActor(ctx)).length
        ? "service.schedule_empty_operator"
        : person?.registeredAt && (await hasServed(d, person.id))
          ? "service.schedule_none_left"
          : "service.schedule_empty";
    return ctx.reply(ctx.t(why));
  }
  await ctx.reply(parts.join("\n\n"));
  // The next session's own buttons (confirm, cancel, check out) under the list.
  const next = mine[0];
  if (next)
    await ctx.reply(sessionLine(ctx.t, ctx.lang, d.timeZone, next.session, next.centre), {
      reply_markup: replyMarkup(sessionButtons(ctx.t, next.session)),
    });
});

serviceDayFeature.callbackQuery(/^ss:/, async (ctx) => {
  const parsed = sessionData.parse(ctx.callbackQuery.data);
  const person = ctx.person;
  if (!parsed || !person) return ctx.answerCallbackQuery({ text: ctx.t("service.refused"), show_alert: true });
  const d = ctx.deps.serviceDay;
  if (parsed.action === "cancel") {
    // Asked first: a cancellation gives the place away.
    await ctx.answerCallbackQuery();
    return ctx.reply(ctx.t("service.cancel_ask"), {
      reply_markup: replyMarkup([
        [{ text: ctx.t("service.cancel_sure_button"), data: sessionData.pack("cancel_sure", parsed.sessionId) }],
        [{ text: ctx.t("service.keep_button"), data: sessionData.pack("confirm", parsed.sessionId) }],
      ]),
    });
  }
  // A session served, cancelled or past retires the buttons pressed: they are taken off, with why.
  const retire = async () => {
    await ctx.answerCallbackQuery({ text: ctx.t("service.refused"), show_alert: true });
    await ctx.editMessageReplyMarkup().catch(() => undefined);
  };
  if (parsed.action === "out") {
    const r = await checkOut(d, person, parsed.sessionId);
    if (!r.ok) return retire();
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    return ctx.reply(ctx.t("service.checked_out", { hours: num(ctx.lang, hoursOf(r.value.minutes ?? 0)) }));
  }
  const r = await answerSession(d, person, parsed.sessionId, parsed.action === "confirm" ? "confirm" : "cancel");
  if (!r.ok) return retire();
  await ctx.answerCallbackQuery();
  if (parsed.action === "confirm") {
    // Confirmed: «می‌آیم» goes, «نمی‌توانم بیایم» stays for a change of plan.
    const left = sessionButtons(ctx.t, { id: parsed.sessionId, status: "confirmed" });
    await ctx.editMessageReplyMarkup({ reply_markup: replyMarkup(left) }).catch(() => undefined);
    return ctx.reply(ctx.t("service.confirmed_reply"));
  }
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await ctx.reply(ctx.t("service.cancelled_reply", { n: num(ctx.lang, r.value.cancelled) }));
});

/** A coordinator approves one session's hours from the check-out notice (checked and audited by the service). */
serviceDayFeature.callbackQuery(/^sa:/, async (ctx) => {
  const sessionId = attendanceData.parse(ctx.callbackQuery.data);
  const session = sessionId ? await ctx.deps.store.sessions.get(sessionId) : null;
  if (!session) return ctx.answerCallbackQuery({ text: ctx.t("service.refused"), show_alert: true });
  const r = await approveAttendance(ctx.deps.serviceDay, await senderActor(ctx), session.centreCode, [session.id]);
  if (!r.ok && r.error === "forbidden")
    return ctx.answerCallbackQuery({ text: ctx.t("service.not_coordinator"), show_alert: true });
  if (!r.ok && r.error === "own")
    return ctx.answerCallbackQuery({ text: ctx.t("service.own_hours"), show_alert: true });
  await ctx.answerCallbackQuery();
  await ctx.reply(
    r.ok
      ? ctx.t("service.approved_one", { hours: num(ctx.lang, hoursOf(r.value.credited[0]?.minutes ?? 0)) })
      : ctx.t("service.approved_already"),
  );
});

/** `/checkin`: the check-in poster (QR codes) and links of each centre the coordinator manages. */
private_.command("checkin", async (ctx) => {
  const centres = await centresOf(ctx.deps.store, await senderActor(ctx));
  if (centres.length === 0) return ctx.reply(ctx.t("service.not_coordinator"));
  for (const centre of centres.slice(0, 3)) {
    const { png, links, payload, digits: today } = await checkInPoster(ctx.deps.serviceDay, centre, ctx.t, ctx.lang);
    await ctx.replyWithDocument(new InputFile(png, `checkin-${centre.code}.png`), {
      caption: ctx.t("service.poster_caption", {
        centre: centre.name,
        links: links.map((l) => `${ctx.t(`platform_name.${l.platform}`)}: ${l.url}`).join("\n"),
        code: copyable(payload),
        digits: digits(ctx.lang, today),
      }),
    });
  }
});

/** `/certificate`: a PDF of one's hours of service, with a verification code. */
private_.command("certificate", async (ctx) => {
  const person = ctx.person;
  if (!person?.registeredAt) return ctx.reply(ctx.t("profile.not_registered"));
  const d = ctx.deps.serviceDay;
  const r = await issueCertificate(d, person);
  if (!r.ok) return ctx.reply(ctx.t(`certificate.${r.error}`));
  const pdf = await certificatePdf(d, person, r.value.certificate, r.value.rows, ctx.lang);
  await ctx.replyWithDocument(new InputFile(pdf, `hamdel-certificate-${r.value.certificate.code}.pdf`), {
    caption: ctx.t("certificate.caption", {
      code: copyable(r.value.certificate.code),
      url: d.verifyUrl(r.value.certificate.code),
    }),
  });
});
