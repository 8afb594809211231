import type { InlineKeyboard } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";

/** Keyboard pieces every screen shares. */

/** grammY's keyboard builder as the markup type a prompt carries. */
export const inline = (kb: InlineKeyboard) => kb as unknown as InlineKeyboardMarkup;

/** A chosen item's label. */
export const tick = (on: boolean, label: string) => (on ? `✅ ${label}` : label);

/** Adds the item when absent, removes it when present (a multi-select press). */
export const toggle = <T>(list: readonly T[], item: T): T[] =>
  list.includes(item) ? list.filter((x) => x !== item) : [...list, item];

/**
 * Lays one button per item out `columns` to a row, on the keyboard's current
 * row onwards; the last row stays open for what the caller adds.
 */
export function grid<T>(
  kb: InlineKeyboard,
  items: readonly T[],
  columns: number,
  button: (item: T, i: number) => { label: string; data: string },
): InlineKeyboard {
  items.forEach((item, i) => {
    if (i > 0 && i % columns === 0) kb.row();
    const b = button(item, i);
    kb.text(b.label, b.data);
  });
  return kb;
}
