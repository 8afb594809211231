import { InlineKeyboard } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { DAY_PARTS, isSlot, WEEKDAYS, type Slot } from "../../domain/taxonomy.js";
import { regData } from "../callback-data.js";
import type { ConversationContext, HamdelConversation } from "../context.js";
import { ask, type Answer } from "./ask.js";

/** Screens several conversations share: multi-select, single choice, the weekly slot grid. */

export const inline = (kb: InlineKeyboard) => kb as unknown as InlineKeyboardMarkup;
export const tick = (on: boolean, label: string) => (on ? `✅ ${label}` : label);
const toggle = <T>(list: T[], item: T) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

export interface ManyOptions {
  columns: number;
  /** The label of the button that finishes the screen. */
  doneLabel: string;
  /** When set, finishing with nothing chosen shows this error (a locale key) instead. */
  noneError?: string;
  initial?: string[];
  back?: boolean;
}

/** A multi-select screen; by default none chosen means "all". */
export function askMany(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  prompt: string,
  items: readonly string[],
  label: (id: string) => string,
  valid: (id: string) => boolean,
  options: ManyOptions,
): Promise<Answer<string[]>> {
  let chosen: string[] = [...(options.initial ?? [])];
  const keyboard = () => {
    const kb = new InlineKeyboard();
    items.forEach((id, i) => {
      if (i > 0 && i % options.columns === 0) kb.row();
      kb.text(tick(chosen.includes(id), label(id)), regData.pack("bt", id));
    });
    kb.row().text(options.doneLabel, regData.pack("bn"));
    if (options.back) kb.row().text(ctx.t("common.back_button"), regData.pack("back"));
    return inline(kb);
  };
  return ask<string[]>(conversation, ctx, {
    expects: "buttons",
    prompt: () => ({ text: prompt, markup: keyboard() }),
    handle: async (u) => {
      const p = regData.parse(u.callbackQuery?.data);
      if (p?.kind === "bn")
        return chosen.length === 0 && options.noneError
          ? { type: "error", key: options.noneError }
          : { type: "value", value: chosen };
      if (p?.kind === "bt" && p.value && valid(p.value)) {
        chosen = toggle(chosen, p.value);
        await u.editMessageReplyMarkup({ reply_markup: keyboard() });
        return { type: "stay" };
      }
      return undefined;
    },
  });
}

/** One choice among buttons (each row one button unless `columns`); optionally typed text too. */
export function askOne<T extends string>(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  prompt: string,
  choices: readonly { id: T; label: string }[],
  options: {
    columns?: number;
    back?: boolean;
    typed?: (text: string) => { ok: true; value: T } | { ok: false; key: string };
  } = {},
): Promise<Answer<T>> {
  const keyboard = () => {
    const kb = new InlineKeyboard();
    choices.forEach((c, i) => {
      if (i > 0 && i % (options.columns ?? 1) === 0) kb.row();
      kb.text(c.label, regData.pack("c", i));
    });
    if (options.back) kb.row().text(ctx.t("common.back_button"), regData.pack("back"));
    return inline(kb);
  };
  return ask<T>(conversation, ctx, {
    expects: options.typed ? "text" : "buttons",
    prompt: () => ({ text: prompt, markup: keyboard() }),
    handle: (u) => {
      const p = regData.parse(u.callbackQuery?.data);
      if (p?.kind === "c") {
        const choice = choices[Number(p.value)];
        return choice ? { type: "value", value: choice.id } : undefined;
      }
      const text = u.message?.text;
      if (text !== undefined && options.typed) {
        const r = options.typed(text);
        return r.ok ? { type: "value", value: r.value } : { type: "error", key: r.key };
      }
      return undefined;
    },
  });
}

/** The weekday × part-of-day grid as keyboard rows (toggle data `r:a:<slot>`). */
export function slotGrid(kb: InlineKeyboard, ctx: ConversationContext, slots: readonly Slot[]): InlineKeyboard {
  for (const day of WEEKDAYS) {
    kb.text(ctx.t(`taxonomy.weekday.${day}`), regData.pack("noop"));
    for (const part of DAY_PARTS) {
      const slot: Slot = `${day}.${part}`;
      kb.text(tick(slots.includes(slot), ctx.t(`taxonomy.day_part.${part}`)), regData.pack("a", slot));
    }
    kb.row();
  }
  return kb;
}

/** Weekly slots, at least one, finished with a done button. */
export function askSlots(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  prompt: string,
  options: { doneLabel: string; noneError: string; initial?: Slot[]; back?: boolean },
): Promise<Answer<Slot[]>> {
  let slots: Slot[] = [...(options.initial ?? [])];
  const keyboard = () => {
    const kb = slotGrid(new InlineKeyboard(), ctx, slots).text(options.doneLabel, regData.pack("ad"));
    if (options.back) kb.row().text(ctx.t("common.back_button"), regData.pack("back"));
    return inline(kb);
  };
  return ask<Slot[]>(conversation, ctx, {
    expects: "buttons",
    prompt: () => ({ text: prompt, markup: keyboard() }),
    handle: async (u) => {
      const p = regData.parse(u.callbackQuery?.data);
      if (p?.kind === "noop") return { type: "stay" };
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
