import { addDaysIso, isoDateIn } from "../../../domain/jalali.js";
import { fail, ok } from "../../../domain/result.js";
import { parseJalaliDateTime } from "../../../domain/jalali-parse.js";
import type { Slot } from "../../../domain/taxonomy.js";
import type { ConversationContext, HamdelConversation } from "../../context.js";
import type { Answer } from "./ask.js";
import { askOne, askSlots } from "./pickers.js";

/**
 * The step runner: a conversation as a list of steps, each one screen, with
 * Back on every step. `/cancel` ends it anywhere (handled before the steps).
 */

/** A step's answer, or `AUTO` when it answered itself (one centre; a role instead of skills): Back skips it. */
export const AUTO = Symbol("auto");
/** One step; `back` says whether the person has an earlier step to go back to. */
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

export interface DateOptions {
  prompt: string;
  /** Buttons for the usual answers (today, tomorrow…). */
  quick: readonly { label: string; date: string }[];
  /** The earliest date accepted (`YYYY-MM-DD`). */
  min: string;
}

/** A date step: quick buttons, or a typed Jalali date not before `min`; Back always shown. */
export function askDate(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  options: DateOptions,
): Promise<Answer<string>> {
  const tz = ctx.deps.timeZone;
  return askOne(conversation, ctx, {
    prompt: options.prompt,
    choices: options.quick.map((q) => ({ id: q.date, label: q.label })),
    columns: 3,
    back: true,
    typed: (text) => {
      const parsed = parseJalaliDateTime(text, tz);
      if (!parsed.ok) return fail("need.date_invalid");
      const iso = isoDateIn(parsed.value, tz);
      return iso >= options.min ? ok(iso) : fail("need.date_invalid");
    },
  });
}

/** The longest free text a need or request carries. */
export const MAX_NOTES = 500;

/** Free text up to {@link MAX_NOTES}; with `skipLabel`, a button to leave it empty (`null`). */
export function askNotes(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  options: { prompt: string; skipLabel: string | null },
): Promise<Answer<string | null>> {
  return askOne<string>(conversation, ctx, {
    prompt: options.prompt,
    choices: options.skipLabel ? [{ id: "", label: options.skipLabel }] : [],
    back: true,
    typed: (text) => {
      const notes = text.trim();
      if ([...notes].length > MAX_NOTES) return fail("need.notes_too_long");
      if (!notes) return fail("request.notes_required");
      return ok(notes);
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
      const a = await askDate(conversation, ctx, {
        prompt: t("need.ask_start"),
        quick: [
          { label: t("need.today"), date: today },
          { label: t("need.tomorrow"), date: addDaysIso(today, 1) },
          { label: t("need.next_week"), date: addDaysIso(today, 7) },
        ],
        min: today,
      });
      if (a.type === "value") draft.startDate = a.value;
      return a;
    },
    async () => {
      const start = draft.startDate!;
      const a = await askDate(conversation, ctx, {
        prompt: t("need.ask_end"),
        quick: [
          { label: t("need.one_week"), date: addDaysIso(start, 6) },
          { label: t("need.one_month"), date: addDaysIso(start, 29) },
          { label: t("need.three_months"), date: addDaysIso(start, 89) },
        ],
        min: start,
      });
      if (a.type === "value") draft.endDate = a.value;
      return a;
    },
    async () => {
      const a = await askSlots(conversation, ctx, {
        prompt: t("need.ask_slots"),
        doneLabel: t("need.skills_done"),
        noneError: "common.availability_none",
        initial: draft.slots,
        back: true,
      });
      if (a.type === "value") draft.slots = a.value;
      return a;
    },
  ];
}
