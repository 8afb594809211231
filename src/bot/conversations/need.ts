import { isoDateIn } from "../../domain/jalali.js";
import { MAX_WANTED } from "../../domain/needs.js";
import { fail, ok } from "../../domain/result.js";
import { normalizeDigits } from "../../domain/normalize.js";
import { ROLES } from "../../domain/taxonomy.js";
import { centresOf } from "../../services/access.js";
import { needLines, postNeed, type NeedInput } from "../../services/matching/index.js";
import type { Centre } from "../../store/port/index.js";
import type { ConversationContext, HamdelConversation } from "../context.js";
import { centreLabeller, num } from "../../format.js";
import { postedReply } from "../helpers/needs.js";
import { askNotes, askOne, askSkillList, AUTO, MAX_NOTES, runSteps, scheduleSteps, type Step } from "./kit/index.js";

/**
 * `/need`: a centre coordinator posts a need, step by step with Back on
 * every step and /cancel anywhere; nothing is stored until the last step.
 */
export async function needConversation(conversation: HamdelConversation, ctx: ConversationContext) {
  const ref = { platform: ctx.caps.platform, userId: String(ctx.from!.id) };
  const centres = await conversation.external(async () => {
    const actor = await ctx.deps.actors.of(ref);
    return centresOf(ctx.deps.store, actor);
  });
  if (centres.length === 0) {
    await ctx.reply(ctx.t("need.no_centres"));
    return;
  }
  const today = isoDateIn(new Date(await conversation.now()), ctx.deps.timeZone);
  const draft: Partial<NeedInput> & { centre?: Centre } = { skills: [], notes: null };
  const t = ctx.t;
  const steps: Step[] = [
    async () => {
      if (centres.length === 1) {
        draft.centre = centres[0];
        return AUTO;
      }
      const labelOf = centreLabeller(ctx.t, centres);
      const a = await askOne(conversation, ctx, {
        prompt: t("need.choose_centre"),
        choices: centres.map((c, i) => ({
          id: String(i),
          label: labelOf(c),
        })),
      });
      if (a.type === "value") draft.centre = centres[Number(a.value)];
      return a;
    },
    async (back) => {
      const roles = ROLES.filter((r) => r.centreKind === draft.centre!.kind);
      const a = await askOne(conversation, ctx, {
        prompt: t("need.choose_kind"),
        choices: [
          ...roles.map((r) => ({ id: r.id as string, label: t(`taxonomy.role.${r.id}`) })),
          { id: "", label: t("need.by_skills") },
        ],
        back,
      });
      if (a.type === "value") {
        draft.role = a.value || null;
        if (draft.role) draft.skills = [];
      }
      return a;
    },
    async () => {
      if (draft.role) return AUTO;
      const a = await askSkillList(conversation, ctx, {
        prompt: t("need.choose_skills"),
        initial: draft.skills,
        back: true,
      });
      if (a.type === "value") draft.skills = a.value;
      return a;
    },
    async () => {
      const a = await askOne(conversation, ctx, {
        prompt: t("need.ask_wanted", { max: num(ctx.lang, MAX_WANTED) }),
        choices: [1, 2, 3, 5, 10].map((n) => ({ id: String(n), label: num(ctx.lang, n) })),
        columns: 5,
        back: true,
        typed: (text) => {
          const n = Number(normalizeDigits(text).trim());
          return Number.isInteger(n) && n >= 1 && n <= MAX_WANTED ? ok(String(n)) : fail("need.wanted_invalid");
        },
      });
      if (a.type === "value") draft.wanted = Number(a.value);
      return a;
    },
    ...scheduleSteps(conversation, ctx, today, draft),
    async () => {
      const a = await askOne(conversation, ctx, {
        prompt: t("need.ask_reach"),
        choices: [
          { id: "county" as const, label: t("need.reach_county") },
          { id: "province" as const, label: t("need.reach_province") },
        ],
        back: true,
      });
      if (a.type === "value") draft.reach = a.value;
      return a;
    },
    async () => {
      const a = await askNotes(conversation, ctx, {
        prompt: t("need.ask_notes", { max: num(ctx.lang, MAX_NOTES) }),
        skipLabel: t("need.no_notes"),
      });
      if (a.type === "value") draft.notes = a.value;
      return a;
    },
    async () => {
      const input = inputOf(draft);
      const text = t("need.confirm", {
        need: needLines(t, ctx.lang, input, draft.centre!, ctx.deps.timeZone),
        wanted: num(ctx.lang, input.wanted),
        reach: t(input.reach === "county" ? "need.reach_county" : "need.reach_province"),
      });
      return askOne(conversation, ctx, {
        prompt: text,
        choices: [{ id: "submit", label: t("need.submit") }],
        back: true,
      });
    },
  ];
  await runSteps(steps);
  const posted = await conversation.external(async () => {
    const actor = await ctx.deps.actors.of(ref);
    return postedReply(ctx, await postNeed(ctx.deps.matching, actor, inputOf(draft)));
  });
  await ctx.reply(posted);
}

function inputOf(d: Partial<NeedInput> & { centre?: Centre }): NeedInput {
  return {
    centreCode: d.centre!.code,
    role: d.role ?? null,
    skills: d.skills ?? [],
    wanted: d.wanted!,
    startDate: d.startDate!,
    endDate: d.endDate!,
    slots: d.slots!,
    reach: d.reach!,
    notes: d.notes ?? null,
  };
}
