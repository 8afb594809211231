import { addDaysIso, isoDateIn } from "../../domain/jalali.js";
import { fail, ok } from "../../domain/result.js";
import { normalizeDigits } from "../../domain/normalize.js";
import { centresOf } from "../../services/access.js";
import { ACTION_DAYS_BACK, MAX_PARTICIPANTS, reportCentreAction } from "../../services/centre-actions.js";
import { CENTRE_ACTION_KINDS, type Centre, type CentreActionKind } from "../../store/port/index.js";
import type { ConversationContext, HamdelConversation } from "../context.js";
import { centreLabeller, num } from "../../format.js";
import { askDate, askOne, AUTO, runSteps, type Step } from "./kit/index.js";

/**
 * `/action`: a centre coordinator reports a local action (an iftar gathering,
 * a class, counselling, a screening) with its date and participants — the
 * Ramadan indicators count them.
 */
export async function actionConversation(conversation: HamdelConversation, ctx: ConversationContext) {
  const ref = { platform: ctx.caps.platform, userId: String(ctx.from!.id) };
  const centres = await conversation.external(async () => centresOf(ctx.deps.store, await ctx.deps.actors.of(ref)));
  if (centres.length === 0) {
    await ctx.reply(ctx.t("need.no_centres"));
    return;
  }
  const t = ctx.t;
  const today = isoDateIn(new Date(await conversation.now()), ctx.deps.timeZone);
  let centre: Centre = centres[0]!;
  let kind: CentreActionKind = "iftar";
  let date = today;
  let participants = 0;
  const steps: Step[] = [
    async () => {
      if (centres.length === 1) return AUTO;
      const labelOf = centreLabeller(ctx.t, centres);
      const a = await askOne(conversation, ctx, {
        prompt: t("need.choose_centre"),
        choices: centres.map((c, i) => ({
          id: String(i),
          label: labelOf(c),
        })),
      });
      if (a.type === "value") centre = centres[Number(a.value)]!;
      return a;
    },
    async (back) => {
      const a = await askOne(conversation, ctx, {
        prompt: t("action.ask_kind"),
        choices: CENTRE_ACTION_KINDS.map((k) => ({ id: k, label: t(`action.kind.${k}`) })),
        columns: 2,
        back,
      });
      if (a.type === "value") kind = a.value;
      return a;
    },
    async () => {
      // The date cannot be in the future; a typed one at most 60 days back.
      for (;;) {
        const a = await askDate(conversation, ctx, {
          prompt: t("action.ask_date"),
          quick: [
            { label: t("need.today"), date: today },
            { label: t("action.yesterday"), date: addDaysIso(today, -1) },
          ],
          min: addDaysIso(today, -ACTION_DAYS_BACK),
        });
        if (a.type === "value" && a.value > today) {
          await ctx.reply(t("action.future"));
          continue;
        }
        if (a.type === "value") date = a.value;
        return a;
      }
    },
    async () => {
      const a = await askOne(conversation, ctx, {
        prompt: t("action.ask_participants", { max: num(ctx.lang, MAX_PARTICIPANTS) }),
        choices: [10, 20, 50, 100].map((v) => ({ id: String(v), label: num(ctx.lang, v) })),
        columns: 4,
        back: true,
        typed: (text) => {
          const v = Number(normalizeDigits(text).trim());
          return Number.isInteger(v) && v >= 1 && v <= MAX_PARTICIPANTS
            ? ok(String(v))
            : fail("action.participants_invalid");
        },
      });
      if (a.type === "value") participants = Number(a.value);
      return a;
    },
  ];
  await runSteps(steps);
  const saved = await conversation.external(async () => {
    const actor = await ctx.deps.actors.of(ref);
    const d = { store: ctx.deps.store, logger: ctx.deps.logger, timeZone: ctx.deps.timeZone };
    return (
      await reportCentreAction(
        d,
        actor,
        { centreCode: centre.code, kind, date, participants },
        new Date(ctx.deps.clock.now()),
      )
    ).ok;
  });
  await ctx.reply(
    saved
      ? t("action.saved", {
          kind: t(`action.kind.${kind}`),
          centre: centre.name,
          participants: num(ctx.lang, participants),
        })
      : t("need.refused"),
  );
}
