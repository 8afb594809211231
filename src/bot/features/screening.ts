import { Composer, InputFile } from "grammy";
import { screeningData } from "../../domain/callback-data.js";
import { formatJalaliDate } from "../../domain/jalali.js";
import {
  DOCUMENT_FILES,
  requirementLabel,
  DOCUMENT_KINDS,
  ORIENTATIONS,
  QUIZ_OPTIONS,
  ROLE_SCREENING,
  type DocumentKind,
  type Orientation,
  type RequirementState,
} from "../../domain/screening.js";
import { nowOf } from "../../services/matching/deps.js";
import { fullName } from "../../services/matching/notices.js";
import {
  decideCheck,
  DOCUMENT_REJECT_REASONS,
  openCheck,
  recordByInstitution,
  screeningOf,
  submitDocument,
  takeQuiz,
} from "../../services/screening.js";
import { copyable, num } from "../../format.js";
import type { BotContext } from "../context.js";
import { replyMarkup } from "../helpers/buttons.js";
import { senderActor } from "../helpers/roles.js";
import { downloadFile } from "../helpers/files.js";

/**
 * Safeguarding in the chat. A volunteer's `/checks` shows, for each sensitive
 * role they chose, what is done, waiting, missing or expiring, with a button
 * for their next step: a lesson and its quiz (one question a message, scored
 * on the server), or a document sent as a photo or a PDF. Their institution's
 * operators open each document from the push that announces it, approve or
 * reject it with a reason, and record the interview and the sign-off.
 */
export const screeningFeature = new Composer<BotContext>();
const private_ = screeningFeature.chatType("private");

/** Who is about to send which document (pressed «فرستادن …»), for half an hour. */
interface AwaitedDocument {
  kind: DocumentKind;
  at: number;
}
const AWAIT_MS = 30 * 60_000;
const awaited = (ctx: BotContext) => ctx.deps.state.storage<AwaitedDocument>("screening-document");
const awaitKey = (ctx: BotContext) => `${ctx.caps.platform}:${ctx.from?.id ?? 0}`;

private_.command("checks", (ctx) => sendChecks(ctx));

/** `/cancel` while a document is awaited: no longer awaited (true when one was). */
export async function forgetAwaitedDocument(ctx: BotContext): Promise<boolean> {
  const had = (await awaited(ctx).read(awaitKey(ctx))) !== undefined;
  if (had) await awaited(ctx).delete(awaitKey(ctx));
  return had;
}

const dateOf = (ctx: BotContext, d: Date) => formatJalaliDate(d, ctx.lang, ctx.deps.timeZone);

function stateLine(ctx: BotContext, key: string, s: RequirementState): string {
  const what = ctx.t(requirementLabel(key));
  if (s.state === "done")
    return s.expiresAt
      ? ctx.t(s.expiresSoon ? "screening.state.done_soon" : "screening.state.done_until", {
          what,
          date: dateOf(ctx, s.expiresAt),
        })
      : ctx.t("screening.state.done", { what });
  if (s.state === "waiting") return ctx.t("screening.state.waiting", { what });
  if (s.retryAt) return ctx.t("screening.state.retry", { what, date: dateOf(ctx, s.retryAt) });
  if (s.expired) return ctx.t("screening.state.expired", { what });
  if (s.rejected && s.reason === "not_passed") return ctx.t("screening.state.not_passed", { what });
  if (s.rejected && key.startsWith("document:"))
    return ctx.t("screening.state.rejected", {
      what,
      reason: ctx.t(`screening.reject_reason.${s.reason && s.reason !== "superseded" ? s.reason : "other"}`),
    });
  return ctx.t("screening.state.missing", { what });
}

/** `/checks`: each gated role's requirements and where they stand, and one button per next step. */
async function sendChecks(ctx: BotContext) {
  const person = ctx.person;
  if (!person?.registeredAt) return ctx.reply(ctx.t("screening.not_registered"));
  const roles = await screeningOf(ctx.deps.matching, person);
  if (roles.length === 0) return ctx.reply(ctx.t("screening.none"));
  const steps = new Map<string, { text: string; data: string }>();
  const blocks = roles.map((r) => {
    const head = ctx.t("screening.role_line", {
      role: ctx.t(`taxonomy.role.${r.role}`),
      state: ctx.t(r.qualified ? "screening.role_ready" : "screening.role_not_ready"),
    });
    const lines = r.states.map(({ requirement, state }) => `  ${stateLine(ctx, requirement.key, state)}`);
    if (!r.oldEnough)
      lines.push(`  ${ctx.t("screening.state.young", { age: num(ctx.lang, ROLE_SCREENING[r.role]!.minAge) })}`);
    const next = r.next;
    if (next && !next.retryAt && !steps.has(next.requirement.key)) {
      const what = ctx.t(requirementLabel(next.requirement.key));
      steps.set(
        next.requirement.key,
        next.requirement.kind === "orientation"
          ? { text: ctx.t("screening.do_quiz", { what }), data: screeningData.pack("l", next.requirement.orientation) }
          : next.requirement.kind === "document"
            ? {
                text: ctx.t("screening.do_document", { what }),
                data: screeningData.pack("d", next.requirement.document),
              }
            : { text: what, data: "" },
      );
    }
    return [head, ...lines].join("\n");
  });
  const buttons = [...steps.values()].filter((b) => b.data).map((b) => [b]);
  await ctx.reply(`${ctx.t("screening.header")}\n\n${blocks.join("\n\n")}\n\n${ctx.t("screening.by_institution")}`, {
    ...(buttons.length ? { reply_markup: replyMarkup(buttons) } : {}),
  });
}

/** A quiz question's message: its number, its words, and one button per option carrying the answers so far. */
function question(ctx: BotContext, o: Orientation, answered: string) {
  const n = answered.length + 1;
  const q = `screening.quiz.${o}.q${n}`;
  return {
    text: ctx.t("screening.quiz_question", {
      n: num(ctx.lang, n),
      of: num(ctx.lang, ORIENTATIONS[o].questions),
      question: ctx.t(`${q}.text`),
    }),
    markup: replyMarkup(
      Array.from({ length: QUIZ_OPTIONS }, (_, i) => [
        { text: ctx.t(`${q}.o${i}`), data: screeningData.pack("a", o, `${answered}${i}`) },
      ]),
    ),
  };
}

/** What the institution records itself about a volunteer: the interview (passed or not) and the sign-off. */
const institutionRows = (ctx: BotContext, personId: string) => [
  [
    { text: ctx.t("screening.record_interview"), data: screeningData.pack("i", personId) },
    { text: ctx.t("screening.record_interview_failed"), data: screeningData.pack("f", personId) },
  ],
  [{ text: ctx.t("screening.record_signoff"), data: screeningData.pack("s", personId) }],
];

screeningFeature.callbackQuery(/^sc:/, async (ctx) => {
  const parsed = screeningData.parse(ctx.callbackQuery.data);
  if (!parsed) return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button"), show_alert: true });
  const { kind, arg, extra } = parsed;
  const person = ctx.person;
  const d = ctx.deps.matching;

  // The volunteer's side: a lesson, a quiz step, a document to send.
  if (kind === "l" || kind === "a" || kind === "d") {
    if (!person?.registeredAt)
      return ctx.answerCallbackQuery({ text: ctx.t("screening.not_registered"), show_alert: true });
    if (kind === "l") {
      if (!(arg in ORIENTATIONS)) return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
      await ctx.answerCallbackQuery();
      return ctx.reply(ctx.t(`screening.lesson.${arg}`), {
        reply_markup: replyMarkup([[{ text: ctx.t("screening.quiz_start"), data: screeningData.pack("a", arg, "") }]]),
      });
    }
    if (kind === "a") {
      const o = arg as Orientation;
      if (!(o in ORIENTATIONS) || extra.length > ORIENTATIONS[o].questions || /[^0-2]/.test(extra))
        return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
      await ctx.answerCallbackQuery();
      if (extra.length < ORIENTATIONS[o].questions) {
        const next = question(ctx, o, extra);
        // The question before gives its place to this one: one message, edited, as the registration's pickers do.
        if (extra.length > 0)
          return ctx
            .editMessageText(next.text, { reply_markup: next.markup })
            .catch(() => ctx.reply(next.text, { reply_markup: next.markup }));
        return ctx.reply(next.text, { reply_markup: next.markup });
      }
      await ctx.editMessageReplyMarkup().catch(() => undefined);
      const r = await takeQuiz(d, person, o, [...extra].map(Number));
      if (!r.ok) {
        if (r.error !== "wait") return ctx.reply(ctx.t("screening.quiz_not_needed"));
        const [s] = (await screeningOf(d, person))
          .flatMap((x) => x.states)
          .filter((x) => x.requirement.key === `orientation:${o}`);
        const at = s?.state.state === "missing" ? s.state.retryAt : null;
        return ctx.reply(ctx.t("screening.quiz_wait", { date: at ? dateOf(ctx, at) : "—" }));
      }
      const { score, passed, of } = r.value;
      if (passed) {
        await ctx.reply(ctx.t("screening.quiz_passed", { score: num(ctx.lang, score), of: num(ctx.lang, of) }));
        return sendChecks(ctx);
      }
      const retry = new Date(nowOf(d).getTime() + ORIENTATIONS[o].retakeHours * 3_600_000);
      return ctx.reply(
        ctx.t("screening.quiz_failed", {
          score: num(ctx.lang, score),
          of: num(ctx.lang, of),
          need: num(ctx.lang, ORIENTATIONS[o].passScore),
          date: dateOf(ctx, retry),
        }),
      );
    }
    if (!(arg in DOCUMENT_KINDS)) return ctx.answerCallbackQuery({ text: ctx.t("common.invalid_button") });
    await ctx.answerCallbackQuery();
    await awaited(ctx).write(awaitKey(ctx), { kind: arg as DocumentKind, at: nowOf(d).getTime() });
    return ctx.reply(ctx.t("screening.document_ask", { what: ctx.t(requirementLabel(`document:${arg}`)) }));
  }

  // The reviewer's side: every decision checked and audited by the services.
  const actor = await senderActor(ctx);
  if (kind === "v") {
    const r = await openCheck(d, actor, arg);
    if (!r.ok) return ctx.answerCallbackQuery({ text: ctx.t("screening.review_refused"), show_alert: true });
    await ctx.answerCallbackQuery();
    const { check, person: volunteer, file } = r.value;
    const what = ctx.t(requirementLabel(check.requirement));
    const caption = ctx.t("screening.review_caption", {
      what,
      code: copyable(volunteer.volunteerCode),
      name: fullName(volunteer),
      date: dateOf(ctx, check.createdAt),
    });
    const validUntil = new Date(
      nowOf(d).getTime() + (DOCUMENT_KINDS[check.requirement.slice(9) as DocumentKind]?.validDays ?? 365) * 86_400_000,
    );
    const buttons = replyMarkup([
      ...(check.status === "pending"
        ? [
            [
              {
                text: ctx.t("screening.review_approve", { date: dateOf(ctx, validUntil) }),
                data: screeningData.pack("y", check.id),
              },
            ],
            [{ text: ctx.t("screening.review_reject"), data: screeningData.pack("n", check.id) }],
          ]
        : []),
      ...institutionRows(ctx, volunteer.id),
    ]);
    if (!file) return ctx.reply(`${caption}\n\n${ctx.t("screening.review_gone")}`, { reply_markup: buttons });
    const input = new InputFile(file.bytes, file.mime === "application/pdf" ? "document.pdf" : "document.jpg");
    return file.mime === "application/pdf"
      ? ctx.replyWithDocument(input, { caption, reply_markup: buttons })
      : ctx.replyWithPhoto(input, { caption, reply_markup: buttons });
  }
  if (kind === "n") {
    await ctx.answerCallbackQuery();
    return ctx.reply(ctx.t("screening.review_reject_why"), {
      reply_markup: replyMarkup(
        DOCUMENT_REJECT_REASONS.map((reason) => [
          { text: ctx.t(`screening.reject_reason.${reason}`), data: screeningData.pack("r", arg, reason) },
        ]),
      ),
    });
  }
  if (kind === "y" || kind === "r") {
    const r = await decideCheck(d, actor, arg, {
      approve: kind === "y",
      reason: kind === "r" ? extra : null,
      expiresAt: null,
    });
    if (!r.ok)
      return ctx.answerCallbackQuery({
        text: ctx.t(r.error === "own" ? "screening.review_own" : "screening.review_refused"),
        show_alert: true,
      });
    await ctx.answerCallbackQuery();
    // The decision's buttons go; the interview and sign-off stay under the document, the reviewer's next step.
    await ctx
      .editMessageReplyMarkup(
        kind === "y" ? { reply_markup: replyMarkup(institutionRows(ctx, r.value.personId)) } : undefined,
      )
      .catch(() => undefined);
    return ctx.reply(ctx.t(kind === "y" ? "screening.review_done_approved" : "screening.review_done_rejected"));
  }
  // An interview held, or the sign-off: for the person the button names.
  const volunteer = arg.length === 36 ? await ctx.deps.store.people.get(arg) : null;
  if (!volunteer) return ctx.answerCallbackQuery({ text: ctx.t("screening.review_refused"), show_alert: true });
  const requirement = kind === "s" ? "signoff" : "interview";
  const r = await recordByInstitution(d, actor, volunteer, requirement, null, kind !== "f");
  if (!r.ok)
    return ctx.answerCallbackQuery({
      text: ctx.t(r.error === "own" ? "screening.review_own" : "screening.review_refused"),
      show_alert: true,
    });
  await ctx.answerCallbackQuery();
  return ctx.reply(
    ctx.t("screening.recorded", {
      what: ctx.t(requirementLabel(requirement)),
      code: copyable(volunteer.volunteerCode),
    }),
  );
});

/** A photo or a file after «فرستادن …»: fetched from the platform, checked, and sent for review. */
private_.on([":photo", ":document"], async (ctx, next) => {
  const key = awaitKey(ctx);
  const wait = await awaited(ctx).read(key);
  const person = ctx.person;
  if (!wait || !person?.registeredAt || nowOf(ctx.deps.matching).getTime() - wait.at > AWAIT_MS) return next();
  const msg = ctx.msg;
  const photo = msg.photo?.at(-1);
  const doc = msg.document;
  const mime = photo ? "image/jpeg" : (doc?.mime_type ?? "");
  const size = photo?.file_size ?? doc?.file_size ?? 0;
  if (!(DOCUMENT_FILES.mimes as readonly string[]).includes(mime)) return ctx.reply(ctx.t("screening.document_type"));
  if (size > DOCUMENT_FILES.maxBytes) return ctx.reply(ctx.t("screening.document_size"));
  const fetched = await downloadFile(ctx, (photo ?? doc)!.file_id, DOCUMENT_FILES.maxBytes);
  if (!fetched.ok)
    return ctx.reply(ctx.t(fetched.error === "size" ? "screening.document_size" : "screening.document_failed"));
  const r = await submitDocument(ctx.deps.matching, person, wait.kind, { mime, bytes: fetched.value });
  if (!r.ok)
    return ctx.reply(
      ctx.t(
        r.error === "type"
          ? "screening.document_type"
          : r.error === "size"
            ? "screening.document_size"
            : r.error === "no_institution"
              ? "screening.document_no_institution"
              : "screening.quiz_not_needed",
      ),
    );
  await awaited(ctx).delete(key);
  await ctx.reply(ctx.t("screening.document_received", { what: ctx.t(requirementLabel(`document:${wait.kind}`)) }));
  // Where they stand now, with the next step's button.
  return sendChecks(ctx);
});

/** Text while a document is awaited: what to send, and the way out. */
private_.on(":text", async (ctx, next) => {
  if (ctx.msg.text.startsWith("/")) return next();
  const wait = await awaited(ctx).read(awaitKey(ctx));
  if (!wait || nowOf(ctx.deps.matching).getTime() - wait.at > AWAIT_MS) return next();
  return ctx.reply(ctx.t("screening.document_wrong_kind"));
});
