import { addDaysIso, isoDateIn } from "../../domain/jalali.js";
import { parseJalaliDateTime } from "../../domain/jalali-parse.js";
import { MAX_WANTED } from "../../domain/needs.js";
import { normalizeDigits } from "../../domain/normalize.js";
import { isSkill, ROLES, SKILL_CATEGORIES, type Slot } from "../../domain/taxonomy.js";
import { actorFor, centresOf } from "../../services/access.js";
import { inQuietHours, needLines, postNeed, type NeedInput } from "../../services/matching/index.js";
import type { Centre } from "../../store/port/index.js";
import type { ConversationContext, HamdelConversation } from "../context.js";
import { num } from "../../format.js";
import type { Answer } from "./ask.js";
import { askMany, askOne, askSlots } from "./pickers.js";

export const MAX_NOTES = 500;
const ALL_SKILLS = SKILL_CATEGORIES.flatMap((c) => c.skills);

/** A step's answer, or `AUTO` when it answered itself (one centre; a role instead of skills): Back skips it. */
export const AUTO = Symbol("auto");
export type Step = (back: boolean) => Promise<Answer<unknown> | typeof AUTO>;

/** Runs steps in order; Back returns to the last step the person actually answered. */
export async function runSteps(steps: Step[]): Promise<void> {
  const history: number[] = [];
  for (let i = 0; i < steps.length;) {
    const a = await steps[i]!(history.length > 0);
    if (a === AUTO) i++;
    else if (a.type === "back") i = history.pop() ?? i;
    else history.push(i++);
  }
}

/** A date step: quick buttons, or a typed Jalali date not before `min`. */
export function askDate(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  prompt: string,
  quick: { label: string; date: string }[],
  min: string,
): Promise<Answer<string>> {
  const tz = ctx.deps.config.timeZone;
  return askOne(
    conversation,
    ctx,
    prompt,
    quick.map((q) => ({ id: q.date, label: q.label })),
    {
      columns: 3,
      back: true,
      typed: (text) => {
        const parsed = parseJalaliDateTime(text, tz);
        if (!parsed.ok) return { ok: false, key: "need.date_invalid" };
        const iso = isoDateIn(parsed.value, tz);
        return iso >= min ? { ok: true, value: iso } : { ok: false, key: "need.date_invalid" };
      },
    },
  );
}

export function askNotes(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  prompt: string,
  skipLabel: string | null,
): Promise<Answer<string | null>> {
  return askOne<string>(conversation, ctx, prompt, skipLabel ? [{ id: "", label: skipLabel }] : [], {
    back: true,
    typed: (text) => {
      const notes = text.trim();
      if ([...notes].length > MAX_NOTES) return { ok: false, key: "need.notes_too_long" };
      if (!notes) return { ok: false, key: "request.notes_required" };
      return { ok: true, value: notes };
    },
  }).then((a) => (a.type === "value" ? { type: "value", value: a.value || null } : a));
}

/** The steps every need and request share: from which day, until which day, in which weekly slots. */
export function scheduleSteps(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  today: string,
  draft: { startDate?: string; endDate?: string; slots?: Slot[] },
): Step[] {
  const t = ctx.t;
  return [
    async () => {
      const a = await askDate(
        conversation,
        ctx,
        t("need.ask_start"),
        [
          { label: t("need.today"), date: today },
          { label: t("need.tomorrow"), date: addDaysIso(today, 1) },
          { label: t("need.next_week"), date: addDaysIso(today, 7) },
        ],
        today,
      );
      if (a.type === "value") draft.startDate = a.value;
      return a;
    },
    async () => {
      const start = draft.startDate!;
      const a = await askDate(
        conversation,
        ctx,
        t("need.ask_end"),
        [
          { label: t("need.one_week"), date: addDaysIso(start, 6) },
          { label: t("need.one_month"), date: addDaysIso(start, 29) },
          { label: t("need.three_months"), date: addDaysIso(start, 89) },
        ],
        start,
      );
      if (a.type === "value") draft.endDate = a.value;
      return a;
    },
    async () => {
      const a = await askSlots(conversation, ctx, t("need.ask_slots"), {
        doneLabel: t("need.skills_done"),
        noneError: "registration.availability_none",
        initial: draft.slots,
        back: true,
      });
      if (a.type === "value") draft.slots = a.value;
      return a;
    },
  ];
}

/**
 * `/need`: a centre coordinator posts a need, step by step with Back on
 * every step and /cancel anywhere; nothing is stored until the last step.
 */
export async function needConversation(conversation: HamdelConversation, ctx: ConversationContext) {
  const ref = { platform: ctx.caps.platform, userId: String(ctx.from!.id) };
  const centres = await conversation.external(async () => {
    const actor = await actorFor(ctx.deps.store, ctx.deps.config, ref);
    return centresOf(ctx.deps.store, actor);
  });
  if (centres.length === 0) {
    await ctx.reply(ctx.t("need.no_centres"));
    return;
  }
  const today = isoDateIn(new Date(await conversation.now()), ctx.deps.config.timeZone);
  const draft: Partial<NeedInput> & { centre?: Centre } = { skills: [], notes: null };
  const t = ctx.t;
  const steps: Step[] = [
    async () => {
      if (centres.length === 1) {
        draft.centre = centres[0];
        return AUTO;
      }
      const a = await askOne(
        conversation,
        ctx,
        t("need.choose_centre"),
        centres.map((c, i) => ({ id: String(i), label: c.name })),
      );
      if (a.type === "value") draft.centre = centres[Number(a.value)];
      return a;
    },
    async (back) => {
      const roles = ROLES.filter((r) => r.centreKind === draft.centre!.kind);
      const a = await askOne(
        conversation,
        ctx,
        t("need.choose_kind"),
        [
          ...roles.map((r) => ({ id: r.id as string, label: t(`taxonomy.role.${r.id}`) })),
          { id: "", label: t("need.by_skills") },
        ],
        { back },
      );
      if (a.type === "value") {
        draft.role = a.value || null;
        if (draft.role) draft.skills = [];
      }
      return a;
    },
    async () => {
      if (draft.role) return AUTO;
      const a = await askMany(
        conversation,
        ctx,
        t("need.choose_skills"),
        ALL_SKILLS,
        (s) => t(`taxonomy.skill.${s}`),
        isSkill,
        {
          columns: 2,
          doneLabel: t("need.skills_done"),
          noneError: "registration.skills_none",
          initial: draft.skills,
          back: true,
        },
      );
      if (a.type === "value") draft.skills = a.value;
      return a;
    },
    async () => {
      const a = await askOne(
        conversation,
        ctx,
        t("need.ask_wanted", { max: num(ctx.lang, MAX_WANTED) }),
        [1, 2, 3, 5, 10].map((n) => ({ id: String(n), label: num(ctx.lang, n) })),
        {
          columns: 5,
          back: true,
          typed: (text) => {
            const n = Number(normalizeDigits(text).trim());
            return Number.isInteger(n) && n >= 1 && n <= MAX_WANTED
              ? { ok: true, value: String(n) }
              : { ok: false, key: "need.wanted_invalid" };
          },
        },
      );
      if (a.type === "value") draft.wanted = Number(a.value);
      return a;
    },
    ...scheduleSteps(conversation, ctx, today, draft),
    async () => {
      const a = await askOne(
        conversation,
        ctx,
        t("need.ask_reach"),
        [
          { id: "county" as const, label: t("need.reach_county") },
          { id: "province" as const, label: t("need.reach_province") },
        ],
        { back: true },
      );
      if (a.type === "value") draft.reach = a.value;
      return a;
    },
    async () => {
      const a = await askNotes(
        conversation,
        ctx,
        t("need.ask_notes", { max: num(ctx.lang, MAX_NOTES) }),
        t("need.no_notes"),
      );
      if (a.type === "value") draft.notes = a.value;
      return a;
    },
    async () => {
      const input = inputOf(draft);
      const text = t("need.confirm", {
        need: needLines(t, ctx.lang, input, draft.centre!, ctx.deps.config.timeZone),
        wanted: num(ctx.lang, input.wanted),
        reach: t(input.reach === "county" ? "need.reach_county" : "need.reach_province"),
      });
      return askOne(conversation, ctx, text, [{ id: "submit", label: t("need.submit") }], { back: true });
    },
  ];
  await runSteps(steps);
  const result = await conversation.external(async () => {
    const actor = await actorFor(ctx.deps.store, ctx.deps.config, ref);
    const outcome = await postNeed(ctx.deps.matching, actor, inputOf(draft));
    if (!outcome.ok) return { ok: false as const, reason: outcome.reason };
    const offers = (await ctx.deps.store.needs.offers(outcome.value.id)).length;
    return { ok: true as const, offers, held: inQuietHours(ctx.deps.matching) };
  });
  if (!result.ok) await ctx.reply(t(result.reason === "forbidden" ? "need.refused" : "need.invalid"));
  else if (result.held) await ctx.reply(t("need.posted_quiet"));
  else if (result.offers === 0) await ctx.reply(t("need.posted_none"));
  else await ctx.reply(t("need.posted", { offers: num(ctx.lang, result.offers) }));
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
