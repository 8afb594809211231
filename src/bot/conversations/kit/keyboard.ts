import type { InlineKeyboard } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";

/** Keyboard pieces every screen shares. */

/** grammY's keyboard builder as the markup type a prompt carries. */
export const inline = (kb: InlineKeyboard) => kb as unknown as InlineKeyboardMarkup;

/** A chosen item's label. */
export const tick = (on: boolean, label: string) => (on ? `✅ ${label}` : label);

/**
 * What an answered question shows of the answer, under its text: the pressed button's label («✓ ۱۳۶۸»), or for a
 * screen finished with a «done» button, the items ticked on it («✓ آشپزی، رانندگی»). Null for a press of no button.
 */
export function echoOf(markup: InlineKeyboardMarkup, pressed: string | undefined): string | null {
  const buttons = markup.inline_keyboard
    .flat()
    .filter((b): b is typeof b & { callback_data: string } => "callback_data" in b);
  const button = buttons.find((b) => b.callback_data === pressed);
  if (!button) return null;
  const ticked = buttons.filter((b) => b.text.startsWith("✅ ")).map((b) => b.text.slice(2));
  return `✓ ${ticked.length && !button.text.startsWith("✅ ") ? ticked.join("، ") : button.text}`;
}

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
