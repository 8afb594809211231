import { InlineKeyboard } from "grammy";
import {
  DAY_PARTS,
  isSkill,
  isSlot,
  SKILL_CATEGORIES,
  WEEKDAYS,
  type SkillId,
  type Slot,
} from "../../../domain/taxonomy.js";
import type { Result } from "../../../domain/result.js";
import { byLabel } from "../../../format.js";
import { stepData } from "../../../domain/callback-data.js";
import type { ConversationContext, HamdelConversation } from "../../context.js";
import { ask, type Answer } from "./ask.js";
import { grid, inline, tick, toggle } from "./keyboard.js";

/** Screens several conversations share: multi-select, single choice, the weekly slot grid. */

/** A press on a label (a day's name, a heading, a page counter): it says what to press instead. */
export const labelPressed = (what: string | undefined) =>
  ({ type: "stay", hint: `common.label_hint.${LABELS.has(what ?? "") ? what : "day"}` }) as const;
const LABELS = new Set(["day", "hours", "category", "page"]);

/** A back button on its own row, when the step has somewhere to go back to. */
export const backRow = (kb: InlineKeyboard, ctx: ConversationContext, back: boolean | undefined) =>
  back ? kb.row().text(ctx.t("common.back_button"), stepData.pack("back")) : kb;

export interface ManyOptions<T extends string> {
  prompt: string;
  items: readonly T[];
  label: (id: T) => string;
  /** Whether a pressed id belongs on this screen (button data is never trusted). */
  valid: (id: string) => boolean;
  columns: number;
  /** The label of the button that finishes the screen. */
  doneLabel: string;
  /** When set, finishing with nothing chosen shows this error (a locale key) instead; by default none means "all". */
  noneError?: string;
  initial?: readonly T[];
  back?: boolean;
  /** The buttons' kinds (`<toggle>:<id>`, `<done>`); `bt` and `bn` unless a conversation keeps its own. */
  data?: { toggle: string; done: string };
}

/** A multi-select screen. */
export function askMany<T extends string>(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  options: ManyOptions<T>,
): Promise<Answer<T[]>> {
  let chosen: T[] = [...(options.initial ?? [])];
  const kinds = options.data ?? { toggle: "bt", done: "bn" };
  // In the order people read: the labels' collation.
  const items = byLabel(ctx.lang, options.items, options.label);
  const keyboard = () => {
    const kb = grid(new InlineKeyboard(), items, options.columns, (id) => ({
      label: tick(chosen.includes(id), options.label(id)),
      data: stepData.pack(kinds.toggle, id),
    }));
    kb.row().text(options.doneLabel, stepData.pack(kinds.done));
    return inline(backRow(kb, ctx, options.back));
  };
  return ask<T[]>(conversation, ctx, {
    expects: "buttons",
    prompt: () => ({ text: options.prompt, markup: keyboard() }),
    handle: async (u) => {
      const p = stepData.parse(u.callbackQuery?.data);
      if (p?.kind === kinds.done)
        return chosen.length === 0 && options.noneError
          ? { type: "error", key: options.noneError }
          : { type: "value", value: chosen };
      if (p?.kind === kinds.toggle && p.value && options.valid(p.value)) {
        chosen = toggle(chosen, p.value as T);
        await u.editMessageReplyMarkup({ reply_markup: keyboard() });
        return { type: "stay" };
      }
      return undefined;
    },
  });
}

const ALL_SKILLS = SKILL_CATEGORIES.flatMap((c) => c.skills);

/** Every skill on one screen, at least one: what a need or a request asks for. */
export function askSkillList(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  options: { prompt: string; initial?: readonly string[]; back: boolean },
): Promise<Answer<SkillId[]>> {
  return askMany<SkillId>(conversation, ctx, {
    ...options,
    initial: options.initial?.filter(isSkill),
    items: ALL_SKILLS,
    label: (s) => ctx.t(`taxonomy.skill.${s}`),
    valid: isSkill,
    columns: 2,
    doneLabel: ctx.t("need.skills_done"),
    noneError: "common.skills_none",
  });
}

export interface OneOptions<T extends string> {
  prompt: string;
  choices: readonly { id: T; label: string }[];
  /** Buttons per row (1 unless set). */
  columns?: number;
  back?: boolean;
  /** Also accepts a typed answer, parsed by this (an error is a locale key). */
  typed?: (text: string) => Result<T>;
  /**
   * The buttons' kind, when each carries its choice's id (`<kind>:<id>`: a
   * conversation whose buttons name what they choose); by default `c:<index>`.
   */
  data?: string;
}

/** One choice among buttons; optionally typed text too. */
export function askOne<T extends string>(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  options: OneOptions<T>,
): Promise<Answer<T>> {
  const keyboard = () =>
    inline(
      backRow(
        grid(new InlineKeyboard(), options.choices, options.columns ?? 1, (c, i) => ({
          label: c.label,
          data: options.data ? stepData.pack(options.data, c.id) : stepData.pack("c", i),
        })),
        ctx,
        options.back,
      ),
    );
  return ask<T>(conversation, ctx, {
    expects: options.typed ? "text" : "buttons",
    prompt: () => ({ text: options.prompt, markup: keyboard() }),
    handle: (u) => {
      const p = stepData.parse(u.callbackQuery?.data);
      if (p?.kind === (options.data ?? "c")) {
        // Button data is never trusted: an id or an index that is not on this screen is no answer.
        const choice = options.data ? options.choices.find((c) => c.id === p.value) : options.choices[Number(p.value)];
        return choice ? { type: "value", value: choice.id } : undefined;
      }
      const text = u.message?.text;
      if (text !== undefined && options.typed) {
        const r = options.typed(text);
        return r.ok ? { type: "value", value: r.value } : { type: "error", key: r.error };
      }
      return undefined;
    },
  });
}

/** The weekday × part-of-day grid as keyboard rows (toggle data `r:a:<slot>`). */
export function slotGrid(kb: InlineKeyboard, ctx: ConversationContext, slots: readonly Slot[]): InlineKeyboard {
  for (const day of WEEKDAYS) {
    kb.text(ctx.t(`taxonomy.weekday.${day}`), stepData.pack("noop", "day"));
    for (const part of DAY_PARTS) {
      const slot: Slot = `${day}.${part}`;
      kb.text(tick(slots.includes(slot), ctx.t(`taxonomy.day_part.${part}`)), stepData.pack("a", slot));
    }
    kb.row();
  }
  return kb;
}

export interface SlotsOptions {
  prompt: string;
  doneLabel: string;
  /** The error (a locale key) for finishing with no slot. */
  noneError: string;
  initial?: readonly Slot[];
  back?: boolean;
}

/** Weekly slots, at least one, finished with a done button. */
export function askSlots(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  options: SlotsOptions,
): Promise<Answer<Slot[]>> {
  let slots: Slot[] = [...(options.initial ?? [])];
  const keyboard = () =>
    inline(
      backRow(
        slotGrid(new InlineKeyboard(), ctx, slots).text(options.doneLabel, stepData.pack("ad")),
        ctx,
        options.back,
      ),
    );
  return ask<Slot[]>(conversation, ctx, {
    expects: "buttons",
    prompt: () => ({ text: options.prompt, markup: keyboard() }),
    handle: async (u) => {
      const p = stepData.parse(u.callbackQuery?.data);
      if (p?.kind === "noop") return labelPressed(p.value);
      if (p?.kind === "ad")
        return slots.length ? { type: "value", value: slots } : { type: "error", key: options.noneError };
      if (p?.kind === "a" && p.value && isSlot(p.value)) {
        slots = toggle(slots, p.value);
        await u.editMessageReplyMarkup({ reply_markup: keyboard() });
        return { type: "stay" };
      }
      return undefined;
    },
  });
}
